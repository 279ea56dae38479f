using System.CommandLine;
using Gateway.Configuration;
using Gateway.Sessions;
using Gateway.Stores;
using Gateway.Stores.Postgres;
using Gateway.Telemetry;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Gateway.Cli;

/// <summary>
/// <c>sessions list --user NAME</c> and <c>sessions revoke --user NAME (--handle HANDLE | --all)</c>, against the
/// configured store (Redis, PostgreSQL or SQLite; see <see cref="SessionsStore"/>), beside running gateways.
/// </summary>
internal static class SessionsCommand
{
    public static Command Create(CliContext context)
    {
        var list = new Command("list", "List a user's live sessions (exit 1 when there are none)") { User() };
        list.SetAction((parsed, cancel) => RunAsync(context, parsed, cancel));

        var handle = new Option<string>("--handle") { Description = "The session to revoke, as `sessions list` shows it", HelpName = "HANDLE" };
        handle.Validators.Add(result =>
        {
            // An empty handle is a script whose variable was empty: it must never widen into "every session".
            var value = result.GetValueOrDefault<string>() ?? "";
            if (value.Length == 0)
            {
                result.AddError("--handle must not be empty (to revoke every session of the user, say --all).");
            }
            else if (value.Length != SessionKey.HandleLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                result.AddError($"--handle '{value}' is not a session handle ({SessionKey.HandleLength} characters, as `sessions list` prints them).");
            }
        });
        var all = new Option<bool>("--all") { Description = "Revoke every session and remember-me token of the user" };
        var revoke = new Command("revoke", "Revoke one session (--handle) or all of a user's sessions and remember-me tokens (--all)") { User(), handle, all };
        revoke.Validators.Add(result =>
        {
            if ((result.GetResult(handle) is not null) == result.GetValue(all))
            {
                result.AddError("Give exactly one of --handle HANDLE or --all.");
            }
        });
        revoke.SetAction((parsed, cancel) => RunAsync(context, parsed, cancel, parsed.GetValue(handle)));

        return new Command("sessions", "List or revoke a user's sessions in the configured store (Redis, PostgreSQL or SQLite); add --Section:Key=value to override the configuration")
        {
            list,
            revoke,
        };
    }

    private static Option<string> User()
    {
        var user = new Option<string>("--user") { Description = "The user name", HelpName = "NAME", Required = true };
        user.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
            {
                result.AddError("--user must not be empty.");
            }
        });
        return user;
    }

    private static async Task<int> RunAsync(CliContext context, ParseResult parsed, CancellationToken cancel, string? handle = null)
    {
        var (output, error) = (context.Output, context.Error);
        var user = parsed.GetRequiredValue<string>("--user");
        await using var app = CliHost.Build(context, SessionsStore.Configure);
        if (app is null)
        {
            return GatewayCli.UsageError;
        }
        var provider = app.Services.GetRequiredService<StoreSelection>().Provider;
        if (provider == StoreProvider.Memory)
        {
            await error.WriteLineAsync(SessionsStore.MemoryRefused);
            return 1;
        }
        try
        {
            await SessionsStore.OpenAsync(app.Services, cancel);
            var sessions = app.Services.GetRequiredService<SessionService>();
            using var ended = new SessionsStore.Announcer(app.Services);
            if (parsed.CommandResult.Command.Name == "list")
            {
                var list = await sessions.ListAsync(user, cancel);
                await output.WriteLineAsync("HANDLE            CREATED (UTC)     LAST SEEN (UTC)   EXPIRES (UTC)     IP               USER AGENT");
                foreach (var s in list)
                {
                    var r = s.Record;
                    await output.WriteLineAsync($"{s.Key.Handle,-17} {r.Created:yyyy-MM-dd HH:mm}  {r.LastSeen:yyyy-MM-dd HH:mm}  {r.AbsoluteExpiry:yyyy-MM-dd HH:mm}  {r.ClientIp,-16} {LogText.Escape(r.UserAgent)}");
                }
                return list.Count > 0 ? 0 : 1;
            }
            if (handle is not null)
            {
                var revoked = await sessions.RevokeAsync(user, handle, "cli", null, cancel);
                await ended.PublishAsync(cancel);
                await output.WriteLineAsync(revoked ? $"Revoked session {handle} of {user}." : $"No session {handle} for {user}.");
                return revoked ? 0 : 1;
            }
            var count = await sessions.RevokeAllAsync(user, "admin", "cli", null, cancel);
            await app.Services.GetRequiredService<RememberMeService>().RevokeAllAsync(user, cancel);
            await ended.PublishAsync(cancel);
            await output.WriteLineAsync($"Revoked {count} session(s) and the remember-me tokens of {user}.");
            return 0;
        }
        catch (SessionStoreUnavailableException e)
        {
            await error.WriteLineAsync($"The {provider} store is unavailable: {e.Message}");
            return GatewayCli.UsageError;
        }
        catch (Exception e) when ((e is InvalidOperationException or PostgresSchemaException or NpgsqlException or SqliteException
            or OperationCanceledException) && !cancel.IsCancellationRequested)
        {
            // The store cannot be opened (no such file, a schema at another version, a database that does not answer).
            await error.WriteLineAsync($"The {provider} store cannot be used: {e.Message}");
            return GatewayCli.UsageError;
        }
    }
}
