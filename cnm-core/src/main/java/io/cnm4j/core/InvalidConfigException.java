package io.cnm4j.core;

/** A {@link MonitorConfig} setting has a value that cannot work; the message names both. */
public final class InvalidConfigException extends IllegalArgumentException {
    /** The setting that was rejected. */
    private final String setting;
    /** The rejected value, as text. */
    private final String value;

    /**
     * Creates the exception.
     *
     * @param setting the setting's name
     * @param value the rejected value
     * @param problem what is wrong with it
     */
    public InvalidConfigException(String setting, Object value, String problem) {
        super("invalid " + setting + " '" + value + "': " + problem);
        this.setting = setting;
        this.value = String.valueOf(value);
    }

    /** {@return name of the offending setting, as in the configuration table of the README} */
    public String setting() {
        return setting;
    }

    /** {@return the rejected value, as text} */
    public String value() {
        return value;
    }
}
