package dev.sextant.tracespec;

/** Text whose every character read is charged to a budget, so a regex cannot run forever. */
final class GuardedText implements CharSequence {
  private final String text;
  private final MatchBudget budget;

  GuardedText(String text, MatchBudget budget) {
    this.text = text;
    this.budget = budget;
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public char charAt(int index) {
    budget.readChar();
    return text.charAt(index);
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new GuardedText(text.substring(start, end), budget);
  }

  @Override
  public String toString() {
    return text;
  }
}
