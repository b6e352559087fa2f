package io.esp32hil.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The server a {@link HilExtension} test's board talks to: a backend of the suite by name (a file in
 * scenarios/backends, such as {@code python} or {@code node}) or a backend file's path. It runs in a
 * container behind the fault proxy; the test can take {@code ContainerBackend} and {@code FaultProxy}
 * parameters. Without this annotation the board talks to the built-in test server.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Backend {
    String value();
}
