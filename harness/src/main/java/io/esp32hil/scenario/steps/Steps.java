package io.esp32hil.scenario.steps;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every step kind a scenario may use, in the order the documentation lists them. A new kind is one class and one line here. */
public final class Steps {
    private static final List<StepKind> ALL = List.of(
            new Reset(),
            new PowerCycle(),
            new Expect(),
            new ExpectLine(),
            new ExpectNo(),
            new ExpectNoLine(),
            new ExpectServer(),
            new Send(),
            new ServerAction(),
            new Wifi(),
            new AccessPoints(),
            new SetPin(),
            new SetAdc(),
            new ExpectPin(),
            new Wait(),
            new Repeat(),
            new Measure(),
            new Assert(),
            new Heap(),
            new Proxy(),
            new ExpectBackendLog(),
            new ExpectLogQuiet());
    private static final Map<String, StepKind> BY_NAME = new LinkedHashMap<>();

    static {
        ALL.forEach(k -> BY_NAME.put(k.name(), k));
    }

    private Steps() {}

    public static List<StepKind> all() {
        return ALL;
    }

    public static Optional<StepKind> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }
}
