using Gateway.Configuration;
using Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Cli;

/// <summary>The gateway's services for a command: configured and validated exactly as a start would, never served.</summary>
internal static class CliHost
{
    /// <summary>
    /// The built application, or null after printing the configuration errors (the caller exits 2);
    /// <paramref name="configure"/> changes registrations for the command.
    /// </summary>
    public static WebApplication? Build(CliContext context, Action<IServiceCollection>? configure = null)
    {
        WebApplicationBuilder? builder = null;
        try
        {
            builder = GatewayApplication.CreateBuilder(context.Overrides);
            builder.Logging.ClearProviders();
            builder.AddGateway();
            configure?.Invoke(builder.Services);
            var app = builder.Build();
            _ = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value; // validates, as the start does
            return app;
        }
        catch (Exception e) when (StartupErrors.Describe(e) is { } errors)
        {
            StartupErrors.Write(context.Error, errors, builder?.Configuration);
            return null;
        }
    }
}
