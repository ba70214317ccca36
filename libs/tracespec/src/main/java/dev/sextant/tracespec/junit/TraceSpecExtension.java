package dev.sextant.tracespec.junit;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: {@code @ExtendWith(TraceSpecExtension.class)} gives test methods (and constructors) a
 * {@link TraceSpecs} for their class: {@code specs.assertMatches("agent-run.yaml", spans)}. Paths
 * are relative to the working directory, which Maven sets to the module.
 */
public final class TraceSpecExtension implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TraceSpecs.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return new TraceSpecs(context.getRequiredTestClass(), Path.of("").toAbsolutePath());
  }
}
