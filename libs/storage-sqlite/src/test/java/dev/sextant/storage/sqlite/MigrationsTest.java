package dev.sextant.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationsTest {
  private static final Pattern NAME = Pattern.compile("V(\\d+)__[a-z0-9_]+\\.sql");

  @Test
  void eachSignalListsExactlyItsMigrationFilesInVersionOrder()
      throws IOException, URISyntaxException {
    for (Signal signal : Signal.values()) {
      URL directory = getClass().getClassLoader().getResource(signal.migrationDirectory());
      assertThat(directory).as(signal.migrationDirectory()).isNotNull();
      List<String> files;
      try (Stream<Path> listing = Files.list(Path.of(directory.toURI()))) {
        files =
            listing
                .map(path -> path.getFileName().toString())
                .sorted(Comparator.comparingInt(MigrationsTest::version))
                .toList();
      }

      assertThat(signal.migrations()).as(signal.label()).isEqualTo(files);
      for (int i = 0; i < files.size(); i++) {
        assertThat(version(files.get(i))).as(files.get(i)).isEqualTo(i + 1);
      }
    }
  }

  private static int version(String fileName) {
    Matcher matcher = NAME.matcher(fileName);
    assertThat(matcher.matches()).as("migration file name %s", fileName).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  @Test
  void scriptsSplitAtSemicolonsEndingALineAndDropComments() {
    String script =
        """
        -- a comment; not a statement
        CREATE TABLE a (
          x INTEGER -- trailing comment stays
        );

        CREATE INDEX a_x ON a (x);
        """;

    assertThat(Migrations.statements(script))
        .containsExactly(
            "CREATE TABLE a (\n  x INTEGER -- trailing comment stays\n);",
            "CREATE INDEX a_x ON a (x);");
  }
}
