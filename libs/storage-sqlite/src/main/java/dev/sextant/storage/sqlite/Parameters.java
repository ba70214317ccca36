package dev.sextant.storage.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Binds the parameters of a query built at run time. */
final class Parameters {
  private Parameters() {}

  static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      Object parameter = parameters.get(i);
      int index = i + 1;
      switch (parameter) {
        case String s -> statement.setString(index, s);
        case Long l -> statement.setLong(index, l);
        case Integer n -> statement.setInt(index, n);
        case Double d -> statement.setDouble(index, d);
        case byte[] bytes -> statement.setBytes(index, bytes);
        default ->
            throw new IllegalArgumentException("cannot bind a " + parameter.getClass().getName());
      }
    }
  }
}
