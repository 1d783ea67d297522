package io.cnm4j.tagging;

import java.util.List;
import java.util.Objects;

/**
 * How the {@value TagKeys#SERVICE} tag of a process is chosen: sources tried in order, the first
 * that gives a value wins. Immutable.
 *
 * <pre>{@code
 * ServiceRule.environment("DD_SERVICE", "OTEL_SERVICE_NAME").orSystemdUnit().orProcessName()
 * }</pre>
 */
public final class ServiceRule {
    /** One source of a service name. */
    public sealed interface Source {
    }

    /**
     * The value of an environment variable of the process ({@code /proc/<pid>/environ}, needs the same user or root).
     *
     * @param variable the variable's name
     */
    public record Environment(String variable) implements Source {
        /**
         * Creates an instance from its components.
         */
        public Environment {
            Objects.requireNonNull(variable, "variable");
        }
    }

    /** The systemd unit of the process's cgroup, without {@code .service}. */
    public record SystemdUnit() implements Source {
    }

    /** The process name. */
    public record ProcessName() implements Source {
    }

    private final List<Source> sources;

    private ServiceRule(List<Source> sources) {
        this.sources = List.copyOf(sources);
    }

    /** {@return a rule that adds no service tag} */
    public static ServiceRule none() {
        return new ServiceRule(List.of());
    }

    /** {@return the default: {@code DD_SERVICE}, then {@code OTEL_SERVICE_NAME}, then the systemd unit} */
    public static ServiceRule defaults() {
        return environment("DD_SERVICE", "OTEL_SERVICE_NAME").orSystemdUnit();
    }

    /**
     * Environment variables, tried in order.
     *
     * @param variables the variables' names
     * @return the rule
     */
    public static ServiceRule environment(String... variables) {
        return none().orEnvironment(variables);
    }

    /**
     * This rule, then environment variables, tried in order.
     *
     * @param variables the variables' names
     * @return the extended rule
     */
    public ServiceRule orEnvironment(String... variables) {
        List<Source> next = new java.util.ArrayList<>(sources);
        for (String variable : variables) {
            next.add(new Environment(variable));
        }
        return new ServiceRule(next);
    }

    /** {@return this rule, then the systemd unit of the process} */
    public ServiceRule orSystemdUnit() {
        List<Source> next = new java.util.ArrayList<>(sources);
        next.add(new SystemdUnit());
        return new ServiceRule(next);
    }

    /** {@return this rule, then the process name} */
    public ServiceRule orProcessName() {
        List<Source> next = new java.util.ArrayList<>(sources);
        next.add(new ProcessName());
        return new ServiceRule(next);
    }

    /** {@return the sources in the order they are tried} */
    public List<Source> sources() {
        return sources;
    }

    @Override
    public String toString() {
        return "ServiceRule" + sources;
    }
}
