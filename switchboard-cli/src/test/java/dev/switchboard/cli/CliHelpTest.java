package dev.switchboard.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 9: every command and subcommand answers {@code --help} and {@code -h} with its usage and exit code 0. */
class CliHelpTest {
    @Test
    void everyCommandOfTheTreeAnswersHelpWithItsUsage() {
        List<List<String>> commands = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), commands);
        assertThat(commands).contains(List.of("configs", "set"), List.of("configs", "list"), List.of("keys", "create"), List.of("serve"));
        for (List<String> command : commands) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(command);
                args.add(flag);
                CliRun run = CliRun.of(args.toArray(String[]::new));
                String name = String.join(" ", args);
                assertThat(run.exitCode()).as(name + ": " + run.err()).isZero();
                assertThat(run.out()).as(name).contains("Usage: switchboard" + (command.isEmpty() ? "" : " " + String.join(" ", command)));
                assertThat(run.err()).as(name).isEmpty();
            }
        }
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
        into.add(List.copyOf(path));
        for (var sub : command.getSubcommands().entrySet()) {
            if (!sub.getValue().getCommandName().equals(sub.getKey())) continue; // an alias of one already listed
            List<String> deeper = new ArrayList<>(path);
            deeper.add(sub.getKey());
            collect(sub.getValue(), deeper, into);
        }
    }
}
