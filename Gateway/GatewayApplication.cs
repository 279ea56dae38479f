using Gateway.Assertions;
using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Connections;
using Gateway.Demo;
using Gateway.Endpoints;
using Gateway.ForwardAuth;
using Gateway.Proxy;
using Gateway.Security;
using Gateway.Sessions;
using Gateway.Stores;
using Gateway.Telemetry;
using Gateway.Users;
using Microsoft.Extensions.Options;

namespace Gateway;

/// <summary>Composition of the gateway: <see cref="AddGateway"/> registers everything, <see cref="MapGateway"/> builds the pipeline.</summary>
public static partial class GatewayApplication
{
    /// <summary>A builder whose content root is the directory holding appsettings.json and routes.json.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args) => WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = ConfigDirectory.Locate(Directory.GetCurrentDirectory(), AppContext.BaseDirectory),
    });

    /// <summary>
    /// Registers the gateway, one <c>AddGateway&lt;Feature&gt;</c> per folder (each in its folder's <c>*Extensions.cs</c>),
    /// and the stores in one place.
    /// </summary>
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.AddGatewayProxy();
        builder.AddGatewayTelemetry();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.AddGatewayConfiguration();
        builder.AddGatewayStore();
        builder.AddGatewayUsers();
        builder.AddGatewaySessions();
        builder.AddGatewayAuthentication();
        builder.AddGatewayDemo();
        builder.AddGatewaySecurity();
        builder.AddGatewayConnections();
        builder.AddGatewayEndpoints();
        builder.AddGatewayForwardAuth();
        builder.AddGatewayAssertions();
        return builder;
    }

    /// <summary>Error mapping, authentication, authorization, the gateway's endpoints, then the proxy.</summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var store = app.Services.GetRequiredService<StoreSelection>();
        var users = app.Services.GetRequiredService<UserStore>();
        if (store.Provider == StoreProvider.Memory)
        {
            LogInMemoryStore(app.Logger, store.Defaulted ? "No store connection string is set" : "Gateway:Store:Provider is Memory");
        }
        LogStarting(app.Logger, store.Provider.ToString(), users.Path ?? "embedded demo users", options.Endpoints.Prefix);

        app.UseGatewayForwardAuthPeer(options);
        app.UseGatewayForwardedHeaders();
        app.UseMiddleware<GatewayErrorMiddleware>();
        app.UseMiddleware<RequestLimitsMiddleware>();
        app.UseGatewayTelemetry();
        app.UseRouting();
        app.UseMiddleware<PathSafetyMiddleware>();
        app.UseMiddleware<ForwardAuthMiddleware>();
        app.UseGatewayAuthentication();
        app.UseMiddleware<CsrfMiddleware>();
        app.UseGatewayAuthorization();
        app.MapGatewayEndpoints(options.Endpoints.Prefix);
        ForwardAuthEndpoints.Map(app, options.Endpoints.Prefix);
        app.MapGatewayAssertions();
        app.MapGatewayProxy();
        return app;
    }

    [LoggerMessage(EventId = 1000, EventName = "InMemoryStore", Level = LogLevel.Warning,
        Message = "{Reason}: sessions live in this process only (single instance, lost on restart). Set ConnectionStrings:Redis for anything real.")]
    private static partial void LogInMemoryStore(ILogger logger, string reason);

    [LoggerMessage(EventId = 1001, EventName = "GatewayStarting", Level = LogLevel.Information,
        Message = "Gateway starting: store {Store}, users from {Users}, endpoints under {Prefix}.")]
    private static partial void LogStarting(ILogger logger, string store, string users, string prefix);
}
