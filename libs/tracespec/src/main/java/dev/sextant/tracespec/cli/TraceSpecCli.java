package dev.sextant.tracespec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code sextant tracespec}: check, record and diff stored traces through the query service's HTTP
 * endpoints. Exit codes: 0 the trace matches (check), the spec was written (record), the traces are
 * identical (diff); 1 it does not match, or the traces differ; 2 a usage error, an unreadable spec
 * file, a refused request (bad spec, unknown trace, no access) or no answer from the service.
 */
public final class TraceSpecCli {
  static final int OK = 0;
  static final int MISMATCH = 1;
  static final int ERROR = 2;

  /** Where the query service listens unless {@code --query} or SEXTANT_QUERY_URL says otherwise. */
  static final String DEFAULT_QUERY = "http://127.0.0.1:9090";

  static final String USAGE =
      """
      usage: sextant tracespec check <traceId> <spec.yaml|spec.json> [options]
             sextant tracespec record <traceId> [--format yaml|json] [--generalise] [--logs] [options]
             sextant tracespec diff <traceA> <traceB> [options]
      options: --query URL    the query service (default $SEXTANT_QUERY_URL, else %s)
               --api-key KEY  sent as Authorization: Bearer KEY (default $SEXTANT_API_KEY)
      exit: 0 match / identical / recorded, 1 mismatch / differences, 2 usage or request error
      """
          .formatted(DEFAULT_QUERY);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  TraceSpecCli(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(new TraceSpecCli(System.out, System.err, System.getenv()).run(args));
  }

  /** Runs one command; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return new TraceSpecCli(out, err, System.getenv()).run(args);
  }

  int run(String[] args) {
    Args a;
    try {
      a = Args.parse(args, env);
    } catch (IllegalArgumentException e) {
      err.println("sextant tracespec: " + e.getMessage());
      err.print(USAGE);
      return ERROR;
    }
    try {
      return switch (a.command()) {
        case "check" -> check(a);
        case "record" -> record(a);
        case "diff" -> diff(a);
        default -> throw new IllegalStateException("Args.parse knows the commands");
      };
    } catch (ConnectException | HttpTimeoutException e) {
      err.println("sextant tracespec: no answer from the query service at " + a.query() + ": " + e);
      return ERROR;
    } catch (NoSuchFileException e) {
      err.println("sextant tracespec: no such spec file: " + e.getFile());
      return ERROR;
    } catch (IOException e) {
      err.println("sextant tracespec: " + e);
      return ERROR;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("sextant tracespec: interrupted");
      return ERROR;
    }
  }

  private int check(Args a) throws IOException, InterruptedException {
    Path file = Path.of(a.positional().get(1));
    String spec = Files.readString(file);
    String type = file.toString().endsWith(".json") ? "application/json" : "application/yaml";
    HttpResponse<String> response =
        send(
            a,
            "/api/v1/traces/" + encode(a.positional().get(0)) + "/check",
            HttpRequest.newBuilder()
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(spec)));
    if (response.statusCode() != 200) {
      return refused(response);
    }
    JsonNode body = JSON.readTree(response.body());
    out.print(body.path("report").asText());
    return body.path("matched").asBoolean() ? OK : MISMATCH;
  }

  private int record(Args a) throws IOException, InterruptedException {
    String query =
        "?format="
            + a.format()
            + (a.generalise() ? "&generalise=true" : "")
            + (a.logs() ? "&logs=true" : "");
    HttpResponse<String> response =
        send(
            a,
            "/api/v1/traces/" + encode(a.positional().get(0)) + "/spec" + query,
            HttpRequest.newBuilder().GET());
    if (response.statusCode() != 200) {
      return refused(response);
    }
    out.print(response.body());
    return OK;
  }

  private int diff(Args a) throws IOException, InterruptedException {
    HttpResponse<String> response =
        send(
            a,
            "/api/v1/traces/diff?a="
                + encode(a.positional().get(0))
                + "&b="
                + encode(a.positional().get(1)),
            HttpRequest.newBuilder().GET());
    if (response.statusCode() != 200) {
      return refused(response);
    }
    JsonNode body = JSON.readTree(response.body());
    out.print(body.path("report").asText());
    return body.path("identical").asBoolean() ? OK : MISMATCH;
  }

  private HttpResponse<String> send(Args a, String pathAndQuery, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    URI uri;
    try {
      uri = URI.create(a.query().replaceAll("/+$", "") + pathAndQuery);
    } catch (IllegalArgumentException e) {
      throw new IOException("not a URL: " + a.query(), e);
    }
    request.uri(uri).timeout(TIMEOUT);
    if (a.apiKey() != null) {
      request.header("Authorization", "Bearer " + a.apiKey());
    }
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** A refused request: the service's own reason (its error bodies are Prometheus-shaped). */
  private int refused(HttpResponse<String> response) {
    String reason = response.body();
    try {
      JsonNode body = JSON.readTree(response.body());
      if (body != null && body.hasNonNull("error")) {
        reason = body.get("error").asText();
      }
    } catch (IOException e) {
      // Not JSON (a proxy's page, say): show the body as it came.
    }
    err.println("sextant tracespec: HTTP " + response.statusCode() + ": " + reason);
    return ERROR;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The parsed command line. */
  record Args(
      String command,
      List<String> positional,
      String query,
      String apiKey,
      String format,
      boolean generalise,
      boolean logs) {

    static Args parse(String[] args, Map<String, String> env) {
      if (args.length == 0) {
        throw new IllegalArgumentException("no command");
      }
      String command = args[0];
      int arity =
          switch (command) {
            case "check", "diff" -> 2;
            case "record" -> 1;
            default -> throw new IllegalArgumentException("unknown command \"" + command + '"');
          };
      List<String> positional = new ArrayList<>();
      String query = env.getOrDefault("SEXTANT_QUERY_URL", DEFAULT_QUERY);
      String apiKey = env.get("SEXTANT_API_KEY");
      String format = "yaml";
      boolean generalise = false;
      boolean logs = false;
      for (int i = 1; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--query" -> query = value(args, ++i, arg);
          case "--api-key" -> apiKey = value(args, ++i, arg);
          case "--format" -> {
            format = value(args, ++i, arg);
            if (!format.equals("yaml") && !format.equals("json")) {
              throw new IllegalArgumentException("--format is yaml or json, got " + format);
            }
          }
          case "--generalise" -> generalise = true;
          case "--logs" -> logs = true;
          default -> {
            if (arg.startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + arg);
            }
            positional.add(arg);
          }
        }
      }
      if (positional.size() != arity) {
        throw new IllegalArgumentException(
            command + " takes " + arity + " argument" + (arity == 1 ? "" : "s"));
      }
      if (!command.equals("record") && (generalise || logs || !format.equals("yaml"))) {
        throw new IllegalArgumentException("--format, --generalise and --logs go with record");
      }
      return new Args(command, positional, query, apiKey, format, generalise, logs);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }
  }
}
