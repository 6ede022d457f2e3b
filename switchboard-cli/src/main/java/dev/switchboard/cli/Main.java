package dev.switchboard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code switchboard}: the server and the commands that talk to it (or, offline, to its store). Its help and
 * version options are inherited by every subcommand down to the leaves, which would otherwise refuse
 * {@code --help} as an unknown option, or for a missing required one, before showing how to use them.
 */
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, scope = CommandLine.ScopeType.INHERIT,
        description = "Live model catalog and model-configuration service for LLM applications.",
        subcommands = {ServeCommand.class, RefreshCommand.class, ModelsCommand.class, EventsCommand.class, ConfigsCommand.class,
                ProvidersCommand.class, KeysCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Switchboard's error handling: a clear message, no stack trace, exit code 1. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("switchboard: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[]{"switchboard " + (version == null ? "dev" : version)};
        }
    }
}
