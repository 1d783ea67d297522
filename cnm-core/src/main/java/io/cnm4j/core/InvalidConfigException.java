package io.cnm4j.core;

/** A {@link MonitorConfig} setting has a value that cannot work; the message names both. */
public final class InvalidConfigException extends IllegalArgumentException {
    private final String setting;
    private final String value;

    public InvalidConfigException(String setting, Object value, String problem) {
        super("invalid " + setting + " '" + value + "': " + problem);
        this.setting = setting;
        this.value = String.valueOf(value);
    }

    /** Name of the offending setting, as in the configuration table of the README. */
    public String setting() {
        return setting;
    }

    /** The rejected value, as text. */
    public String value() {
        return value;
    }
}
