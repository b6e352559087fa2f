package io.esp32hil.cli;

import io.esp32hil.scenario.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List the scenarios (checking every file) with their tags and needs.")
final class ListCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SCENARIO", description = "scenario files or folders")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--tag", description = "only scenarios with this tag")
    List<String> tags = new ArrayList<>();

    @Override
    public Integer call() {
        Suite suite = Suite.locate();
        List<Scenario> scenarios = suite.scenarios(paths, tags);
        for (Scenario s : scenarios) {
            String needs = s.needs().stream().map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(","));
            String backend = s.backend() == null ? "" : " backend " + s.backend();
            System.out.printf("%-44s %-28s %s%s%n", s.name(), String.join(",", s.tags()), needs.isEmpty() ? "" : "needs " + needs, backend);
        }
        System.out.println(scenarios.size() + " scenario(s); backends: " + String.join(", ", suite.backends().names()));
        return Hil.PASSED;
    }
}
