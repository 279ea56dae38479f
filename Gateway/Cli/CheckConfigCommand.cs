using System.CommandLine;
using Gateway.Configuration;
using Gateway.Hosting;
using Gateway.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Cli;

/// <summary>
/// <c>check-config [--connect]</c>: reads the configuration exactly as a start would and validates everything the start
/// validates plus the cross-references (<see cref="ConfigurationCrossCheck"/>), like <c>nginx -t</c>. Binds no port and
/// contacts no backend; with <c>--connect</c> it also pings the store. Exit 0 with <c>configuration OK</c> and a
/// summary, 1 with the error list.
/// </summary>
internal static class CheckConfigCommand
{
    public const int Invalid = 1;

    public static Command Create(CliContext context)
    {
        var connect = new Option<bool>("--connect") { Description = "Also check that the configured store answers (within Gateway:Store:Timeout)" };
        var command = new Command("check-config", "Validate the configuration (appsettings, environment, routes, users, TLS and template files) without serving; exit 0 when it is valid, 1 with the list of errors")
        {
            connect,
        };
        command.SetAction((parsed, cancel) => RunAsync(context, parsed.GetValue(connect), cancel));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, bool connect, CancellationToken cancel)
    {
        WebApplicationBuilder? builder = null;
        WebApplication? app = null;
        try
        {
            builder = GatewayApplication.CreateBuilder(context.Overrides);
            builder.Logging.ClearProviders();
            builder.AddGateway();
            var errors = new List<string>();
            GatewayOptions? options = null;
            try
            {
                app = builder.Build(); // Kestrel's set-up already reads the options, so this runs every start-time validator
                options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
            }
            catch (OptionsValidationException e)
            {
                // Listed, and the checks that need no service still run: every mistake at once.
                errors.AddRange(e.Failures);
                options = new GatewayOptions();
                GatewayOptionsBinder.Bind(builder.Configuration.GetSection(GatewayOptions.Section), options);
            }
            var services = errors.Count == 0 ? app?.Services : null;
            var (more, summary) = await ConfigurationCrossCheck.RunAsync(builder.Configuration, builder.Environment, services, options);
            errors.AddRange(more);
            if (errors.Count == 0 && connect && services is not null)
            {
                await PingAsync(services, errors, cancel);
            }
            if (errors.Count > 0)
            {
                StartupErrors.Write(context.Error, new StartupProblem(errors.Distinct().ToList()), builder.Configuration);
                return Invalid;
            }
            await context.Output.WriteLineAsync($"configuration OK: {summary}{(connect ? "; the store answered" : "")}");
            return 0;
        }
        catch (Exception e) when (StartupErrors.Describe(e) is { } problem)
        {
            StartupErrors.Write(context.Error, problem, builder?.Configuration);
            return Invalid;
        }
        finally
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }

    private static async Task PingAsync(IServiceProvider services, List<string> errors, CancellationToken cancel)
    {
        try
        {
            await services.GetRequiredService<IStoreHealth>().PingAsync(cancel);
        }
        catch (SessionStoreUnavailableException e)
        {
            errors.Add($"the store did not answer ({(e.TimedOut ? "no answer within Gateway:Store:Timeout" : e.Message)}): check its connection string, credentials and that it is running.");
        }
    }
}
