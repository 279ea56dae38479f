using System.CommandLine;
using System.CommandLine.Invocation;

namespace Gateway.Cli;

/// <summary>
/// Command-line tools on System.CommandLine: <c>hash-password</c>, <c>sessions list|revoke</c>, <c>check-config</c>, <c>migrate</c>.
/// Commands that read the gateway's configuration (appsettings.json, environment) also take <c>--Section:Key=value</c>
/// overrides. Exit codes: 0 done, 1 nothing matched (or, for <c>check-config</c>, an invalid configuration), 2 usage
/// or configuration error. <c>--help</c> works on every command; <c>[suggest]</c> gives completions.
/// </summary>
public static class GatewayCli
{
    /// <summary>Exit code of a command line that does not parse or a configuration the command cannot use.</summary>
    public const int UsageError = 2;

    private static readonly string[] Commands = ["hash-password", "sessions", "check-config", "migrate", "help", "--help", "-h", "-?", "--version"];

    /// <summary>True when the arguments name a command (or a directive such as <c>[suggest]</c>) rather than gateway options.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && (Commands.Contains(args[0]) || args[0].StartsWith('['));

    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        var overrides = args.Where(ConfigurationOverrides.IsOverride).ToArray();
        var tokens = args.Where(a => !ConfigurationOverrides.IsOverride(a)).Select(a => a == "help" ? "--help" : a).ToArray();
        var context = new CliContext(input, output, error, overrides);
        var root = new RootCommand("Gateway: an edge gateway enforcing server-side sessions. Without a command, `Gateway` runs the gateway.")
        {
            HashPasswordCommand.Create(context),
            SessionsCommand.Create(context),
            CheckConfigCommand.Create(context),
            MigrateCommand.Create(context),
        };
        root.HelpName = "Gateway";

        var parsed = root.Parse(tokens);
        var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (parsed.Errors.Count > 0 || parsed.Action is null)
        {
            // The parser's own error action prints the errors and the command's help, and exits 1: usage errors are 2 here.
            await parsed.InvokeAsync(invocation);
            return UsageError;
        }
        return await parsed.InvokeAsync(invocation);
    }
}
