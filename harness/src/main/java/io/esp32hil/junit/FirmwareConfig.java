package io.esp32hil.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Firmware settings for a test's config.py, as {@code "NAME=value"} (numbers, True/False, or text). */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface FirmwareConfig {
    String[] value();
}
