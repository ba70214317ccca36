package dev.sextant.storage.query;

import dev.sextant.model.MetricEvent;

/**
 * The metric events Mastra's OLAP routes are over: those of an event query, narrowed by the cost's
 * provider and model when given (fields the event query does not have, as only metric events have
 * costs).
 *
 * @param events the events (their {@code limit} and order do not apply to an OLAP answer)
 * @param provider keeps events whose cost has this provider; null keeps all
 * @param model keeps events whose cost has this model; null keeps all
 */
public record EventSelection(EventQuery events, String provider, String model) {

  public EventSelection {
    if (events == null) {
      throw new IllegalArgumentException("events are required");
    }
  }

  /** Every event of the query. */
  public static EventSelection of(EventQuery events) {
    return new EventSelection(events, null, null);
  }

  /** Whether the event is selected: the query matches it, and the provider and model. */
  public boolean selects(MetricEvent e) {
    return selects(events, provider, model, e);
  }

  static boolean selects(EventQuery events, String provider, String model, MetricEvent e) {
    return events.matches(e)
        && (provider == null || provider.equals(e.cost().provider()))
        && (model == null || model.equals(e.cost().model()));
  }
}
