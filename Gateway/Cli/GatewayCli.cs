using System.Text;
using Gateway.Sessions;
using Gateway.Users;
using Microsoft.Extensions.Options;

namespace Gateway.Cli;

/// <summary>
/// Command-line tools: <c>hash-password</c>, <c>sessions list</c>, <c>sessions revoke</c>. Session commands read the
/// same configuration as the gateway (appsettings.json, environment, and <c>--Key=value</c> arguments) and work
/// against the configured Redis.
/// </summary>
public static class GatewayCli
{
    private const string Usage = """
        Usage:
          Gateway                                   run the gateway
          Gateway hash-password [--user NAME] [--cost N]
                                                    bcrypt a password read from standard input (or prompted);
                                                    prints an htpasswd line with --user, else the hash
          Gateway sessions list --user NAME         list a user's live sessions
          Gateway sessions revoke --user NAME [--handle HANDLE]
                                                    revoke one session, or all of the user's sessions and
                                                    remember-me tokens
          Gateway migrate                           apply the relational store's schema migrations (SQLite),
                                                    for deployments with Gateway:Store:Migrate=false
          Gateway --help                            this text

        Session commands use the gateway's configuration; add --ConnectionStrings:Redis=... or any other
        --Key=value to override it. Exit codes: 0 done, 1 nothing matched, 2 usage or configuration error.
        """;

    private static readonly string[] Commands = ["hash-password", "sessions", "migrate", "help", "--help", "-h"];

    /// <summary>True when the arguments name a command rather than gateway options.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        if (args.Any(IsHelp))
        {
            // "Gateway sessions --help" and "Gateway hash-password -h" ask for help, not for a prompt or an error.
            await output.WriteLineAsync(Usage);
            return 0;
        }
        var (options, rest) = Split(args.Skip(1).ToArray());
        switch (args[0])
        {
            case "hash-password":
                return HashPassword(options, input, output, error);
            case "sessions" when rest.Length > 0 && rest[0] is "list" or "revoke":
                if (!options.TryGetValue("user", out var user))
                {
                    await error.WriteLineAsync("--user is required.");
                    return 2;
                }
                return await SessionsAsync(rest[0], user, options.GetValueOrDefault("handle"), rest.Skip(1).ToArray(), output, error);
            case "migrate":
                return await MigrateCommand.RunAsync(rest, output, error);
            default:
                await error.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static bool IsHelp(string arg) => arg is "help" or "--help" or "-h";

    private static int HashPassword(Dictionary<string, string> options, TextReader input, TextWriter output, TextWriter error)
    {
        var cost = options.TryGetValue("cost", out var text) && int.TryParse(text, out var parsed) ? parsed : 10;
        if (cost is < 4 or > 31)
        {
            error.WriteLine("--cost must be between 4 and 31.");
            return 2;
        }
        var password = Console.IsInputRedirected || input != Console.In ? input.ReadLine() : Prompt(error);
        if (string.IsNullOrEmpty(password))
        {
            error.WriteLine("No password given.");
            return 2;
        }
        if (Encoding.UTF8.GetByteCount(password) > PasswordVerifier.MaxPasswordBytes)
        {
            error.WriteLine($"Passwords longer than {PasswordVerifier.MaxPasswordBytes} bytes are refused (bcrypt ignores the rest).");
            return 2;
        }
        var hash = BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(cost, 'y'));
        if (options.TryGetValue("user", out var user))
        {
            if (!HtpasswdParser.IsValidUserName(user))
            {
                error.WriteLine("User names are printable ASCII without ':' or surrounding spaces.");
                return 2;
            }
            output.WriteLine($"{user}:{hash}");
        }
        else
        {
            output.WriteLine(hash);
        }
        return 0;
    }

    private static async Task<int> SessionsAsync(string command, string user, string? handle, string[] configuration, TextWriter output, TextWriter error)
    {
        var builder = GatewayApplication.CreateBuilder(configuration);
        builder.Logging.ClearProviders();
        builder.AddGateway();
        await using var app = builder.Build();
        if (string.IsNullOrWhiteSpace(app.Configuration.GetConnectionString("Redis")))
        {
            await error.WriteLineAsync("Session commands need ConnectionStrings:Redis (the in-memory store lives inside a running gateway).");
            return 2;
        }
        var sessions = app.Services.GetRequiredService<SessionService>();
        try
        {
            if (command == "list")
            {
                var list = await sessions.ListAsync(user, CancellationToken.None);
                await output.WriteLineAsync("HANDLE            CREATED (UTC)     LAST SEEN (UTC)   EXPIRES (UTC)     IP               USER AGENT");
                foreach (var s in list)
                {
                    var r = s.Record;
                    await output.WriteLineAsync($"{s.Key.Handle,-17} {r.Created:yyyy-MM-dd HH:mm}  {r.LastSeen:yyyy-MM-dd HH:mm}  {r.AbsoluteExpiry:yyyy-MM-dd HH:mm}  {r.ClientIp,-16} {Telemetry.LogText.Escape(r.UserAgent)}");
                }
                return list.Count > 0 ? 0 : 1;
            }
            if (handle is not null)
            {
                var revoked = await sessions.RevokeAsync(user, handle, "cli", null, CancellationToken.None);
                await output.WriteLineAsync(revoked ? $"Revoked session {handle} of {user}." : $"No session {handle} for {user}.");
                return revoked ? 0 : 1;
            }
            var count = await sessions.RevokeAllAsync(user, "admin", "cli", null, CancellationToken.None);
            await app.Services.GetRequiredService<RememberMeService>().RevokeAllAsync(user, CancellationToken.None);
            await output.WriteLineAsync($"Revoked {count} session(s) and the remember-me tokens of {user}.");
            return 0;
        }
        catch (SessionStoreUnavailableException e)
        {
            await error.WriteLineAsync($"Redis is unavailable: {e.Message}");
            return 2;
        }
    }

    private static (Dictionary<string, string> Options, string[] Positional) Split(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--user" or "--handle" or "--cost" && i + 1 < args.Length)
            {
                options[args[i][2..]] = args[++i];
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        return (options, rest.ToArray());
    }

    private static string Prompt(TextWriter error)
    {
        error.Write("Password: ");
        var password = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && password.Length > 0)
            {
                password.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
        error.WriteLine();
        return password.ToString();
    }
}
