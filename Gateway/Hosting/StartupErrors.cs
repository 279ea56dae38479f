using System.Net.Sockets;
using Gateway.Configuration;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>
/// Start-time mistakes the operator can fix (an invalid setting, an unreadable routes or users file, a bad TLS file, a
/// port in use) end as a list of errors, one line each, and exit code 1: no "Unhandled exception", no stack trace, no
/// SIGABRT that a container platform reports as a crash. Anything else is a defect and keeps its stack trace.
/// </summary>
internal static class StartupErrors
{
    public const int ExitCode = 1;

    // The host logs a failed start with its stack trace ("Hosting failed to start"), and the background services it
    // then disposes unstarted as failures; the problem is printed below instead. Once started, it logs as usual.
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>
    /// Creates the builder, builds the application and runs it; returns 0 after a normal stop, or <see cref="ExitCode"/>
    /// after a start-time problem it printed to <paramref name="error"/>.
    /// </summary>
    public static int Run(TextWriter error, Func<WebApplicationBuilder> create, Func<WebApplicationBuilder, WebApplication> build)
    {
        WebApplicationBuilder? builder = null;
        var started = false;
        try
        {
            builder = create();
            // A rule for the host's category only: the configured levels of every other category stay as they are.
            builder.Logging.AddFilter(HostCategory, level => started && level >= LogLevel.Warning);
            var app = build(builder);
            app.Lifetime.ApplicationStarted.Register(() => started = true);
            app.Run();
            return 0;
        }
        catch (Exception e) when (Describe(e) is { } problem)
        {
            Write(error, problem, builder?.Configuration);
            return ExitCode;
        }
    }

    /// <summary>The operator-facing errors an exception stands for, or null when it is not a configuration mistake.</summary>
    public static StartupProblem? Describe(Exception exception) => exception switch
    {
        OptionsValidationException e => new(e.Failures.ToList()),
        GatewayConfigurationException e => new(e.Errors),
        // YARP's first load of routes.json: the routes and clusters it refuses (a bad path pattern, ...).
        InvalidOperationException { InnerException: AggregateException proxy } when proxy.Message.StartsWith("The proxy config is invalid", StringComparison.Ordinal) =>
            new(proxy.InnerExceptions.Select(Explain).ToList()),
        InvalidDataException { InnerException: not null } e when e.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase) =>
            new([$"{e.Message} {e.GetBaseException().Message}"]),
        IOException { InnerException: AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } } e =>
            new([$"{e.Message.TrimEnd('.')}: another process holds the port; stop it or set Urls (ASPNETCORE_URLS) to a free one."], IsConfiguration: false),
        _ => null,
    };

    /// <summary>An exception's message with its cause's, when the cause says more ("a catch-all parameter can only ...").</summary>
    public static string Explain(Exception e) => e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;

    /// <summary>
    /// Prints <c>Configuration is invalid (N errors):</c> and one indented line per error, or the one line of a problem
    /// that is not the configuration's (a port in use); secrets masked either way.
    /// </summary>
    public static void Write(TextWriter error, StartupProblem problem, IConfiguration? configuration)
    {
        // One line per error: a message spanning lines (an exception's) would read as several errors.
        var lines = problem.Errors.Select(e => SecretKeys.MaskIn(e, configuration).ReplaceLineEndings(" ")).ToList();
        if (!problem.IsConfiguration)
        {
            error.WriteLine(string.Join(" ", lines));
        }
        else
        {
            error.WriteLine(lines.Count == 1 ? "Configuration is invalid (1 error):" : $"Configuration is invalid ({lines.Count} errors):");
            foreach (var line in lines)
            {
                error.WriteLine("  " + line);
            }
        }
        error.Flush();
    }
}
