package io.esp32hil.scenario.steps;

import io.esp32hil.device.Capability;
import io.esp32hil.scenario.Step;
import io.esp32hil.scenario.Values;
import java.util.Set;
import java.util.TreeSet;

/**
 * One kind of scenario step ({@code expect}, {@code server}, ...): its grammar (the value it takes,
 * the modifiers beside it, what it requires of the target and the server) and what it does when a
 * scenario runs. The loader and the runner know steps only through this class, as mpremote knows its
 * commands through one table; {@link Steps} lists every kind.
 */
public abstract class StepKind {
    /** How long a step waits for what it expects when its {@code within:} does not say. */
    protected static final java.time.Duration DEFAULT_WITHIN = java.time.Duration.ofSeconds(15);

    private final String name;
    private final String usage;
    private final Capability needs;
    private final Set<String> modifiers;

    /**
     * @param usage how the step is written, as scenarios/README.md's step table shows it ({@code expect: EVENT})
     * @param needs the target capability the scenario must declare to use the step, or null
     * @param modifiers the keys the step takes beside its value; their checks are {@link Modifiers}'
     */
    protected StepKind(String usage, Capability needs, String... modifiers) {
        this.usage = usage;
        this.name = usage.contains(":") ? usage.substring(0, usage.indexOf(':')) : usage;
        this.needs = needs;
        this.modifiers = new TreeSet<>(Set.of(modifiers));
    }

    public final String name() {
        return name;
    }

    public final String usage() {
        return usage;
    }

    /** The capability a scenario declares under {@code needs} to use this step, or null. */
    public final Capability needs() {
        return needs;
    }

    /** The modifiers the step takes, sorted. */
    public final Set<String> modifiers() {
        return modifiers;
    }

    /** What a modifier's value may be; a kind whose modifier means more than the shared one narrows it here. */
    public Values.Check modifierCheck(String modifier) {
        return Modifiers.check(modifier);
    }

    /** Checks the step's value and what depends on it (its event's fields, marks and metrics set earlier); the modifiers are checked. */
    public abstract void check(Step step, Scope scope);

    /** What the step asks of a server beyond serving WebSocket, by the names a backend's commands answer to. */
    public Set<String> serverFeatures(Step step) {
        return Set.of();
    }

    /** True when the step needs the fault proxy in front of the server. */
    public boolean usesProxy() {
        return false;
    }

    /** True for a step with its own {@code steps:}. */
    public boolean takesSteps() {
        return false;
    }

    /**
     * True when the step's {@code mark:} is the moment it was done (an action); a step that waits for
     * something marks the moment that was seen, itself.
     */
    public boolean marksWhenDone() {
        return true;
    }

    public abstract void run(Step step, StepContext run) throws InterruptedException;

    /** A step whose whole meaning is in its modifiers or its name: it takes no value. */
    protected static void noValue(Step step, Scope scope) {
        if (step.value() != null) {
            throw scope.error(step, "step '" + step.action() + "' takes no value");
        }
    }

    /** Modifiers without which the step means nothing, each a whole number. */
    protected static void wholeNumbers(Step step, Scope scope, String... keys) {
        for (String k : keys) {
            if (!step.args().containsKey(k)) {
                throw scope.error(step, "step '" + step.action() + "' needs a whole number '" + k + "'");
            }
        }
    }

    /** The step's value, which must be there. */
    protected static String someValue(Step step, Scope scope) {
        if (step.value() == null || step.valueText().isBlank()) {
            throw scope.error(step, "step '" + step.action() + "' needs a value");
        }
        return step.valueText();
    }

    /** The step's value as a regular expression, which must compile. */
    protected static void regexValue(Step step, Scope scope) {
        if (step.value() == null) {
            throw scope.error(step, "step '" + step.action() + "' needs a regular expression");
        }
        scope.regex(step, step.valueText());
    }
}
