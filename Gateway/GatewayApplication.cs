using Gateway.Audit;
using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Demo;
using Gateway.Endpoints;
using Gateway.Proxy;
using Gateway.Security;
using Gateway.Sessions;
using Gateway.Stores;
using Gateway.Telemetry;
using Gateway.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
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

    /// <summary>Registers the session store, the Session scheme, policies, YARP with the identity transforms, and endpoints' services.</summary>
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        AddRoutesFile(builder);
        builder.AddGatewayTelemetry();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        var section = configuration.GetSection(GatewayOptions.Section);
        services.AddOptions<GatewayOptions>().Configure(options => GatewayOptionsBinder.Bind(section, options)).ValidateOnStart();
        services.AddSingleton<IOptionsChangeTokenSource<GatewayOptions>>(new ConfigurationChangeTokenSource<GatewayOptions>(section));
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddSingleton<IValidateOptions<GatewayOptions>, RouteReferencesValidator>();
        services.AddSingleton<IValidateOptions<GatewayOptions>, MetricsOptionsValidator>();
        services.AddSingleton<IOptionsMonitor<GatewayOptions>, LastGoodOptionsMonitor>();
        services.AddSingleton<IValidateOptions<GatewayOptions>, LoginPageValidator>();
        services.AddSingleton<IValidateOptions<GatewayOptions>, StoreTlsValidator>();
        services.AddSingleton<IValidateOptions<GatewayOptions>, KestrelTlsValidator>();
        services.AddSingleton<LoginTemplate>();
        services.TryAddSingleton(TimeProvider.System);

        builder.AddGatewayStore();

        services.AddSingleton<UserStore>();
        services.AddSingleton<PasswordVerifier>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<SessionCookies>();
        services.AddSingleton<SessionKeyCache>();
        services.AddSingleton<BasicSessionResolver>();
        services.AddSingleton<SessionAuthenticator>();
        services.AddSingleton<RememberMeService>();
        services.AddSingleton<AuditTrail>();
        services.AddHostedService<DemoUpstream>();
        builder.AddGatewaySecurity();

        services.AddAuthentication(SessionDefaults.Scheme)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionDefaults.Scheme, _ => { });
        services.AddAuthorization(options => AddPolicies(options, configuration));
        services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection("ReverseProxy"))
            .AddTransforms<IdentityTransformProvider>();
        services.Replace(ServiceDescriptor.Singleton<Yarp.ReverseProxy.Forwarder.IForwarderHttpClientFactory, TraceContextClientFactory>());
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
        _ = app.Services.GetRequiredService<LoginTemplate>(); // the login template is read once, at start
        foreach (var routes in ((IConfigurationRoot)app.Configuration).Providers.OfType<RoutesFileConfigurationProvider>())
        {
            routes.UseLogger(app.Services.GetRequiredService<ILogger<RoutesFileConfigurationProvider>>());
        }

        app.UseGatewayForwardedHeaders();
        app.UseMiddleware<GatewayErrorMiddleware>();
        app.UseMiddleware<RequestLimitsMiddleware>();
        app.UseGatewayTelemetry();
        app.UseRouting();
        UseSessionAuthentication(app);
        app.UseMiddleware<CsrfMiddleware>();
        UseSessionAuthorization(app);
        HealthEndpoints.Map(app);
        LoginEndpoints.Map(app, options.Endpoints.Prefix);
        LogoutEndpoints.Map(app, options.Endpoints.Prefix);
        SessionEndpoints.Map(app, options.Endpoints.Prefix);
        SessionListEndpoints.Map(app, options.Endpoints.Prefix);
        AdminEndpoints.Map(app, options.Endpoints.Prefix);
        BanEndpoints.Map(app, options.Endpoints.Prefix);

        // Anything else under the prefix (an unknown path, or PUT to /auth/login) is the gateway's, never a backend's.
        app.Map(options.Endpoints.Prefix + "/{**rest}", (HttpContext context) =>
            GatewayResponses.ProblemAsync(context, StatusCodes.Status404NotFound, "not_found", "no such gateway endpoint or method"))
            .AllowAnonymous().WithMetadata(SessionEndpointMetadata.ResolveOnly);
        app.MapReverseProxy();
        return app;
    }

    // In place of UseAuthentication and UseAuthorization (same outcome, less work per request). The keys they set
    // tell the host that authentication and authorization are in the pipeline, so it does not add its own.
    private static void UseSessionAuthentication(WebApplication app)
    {
        ((IApplicationBuilder)app).Properties[SessionAuthenticationMiddleware.SetKey] = true;
        app.UseMiddleware<SessionAuthenticationMiddleware>();
    }

    private static void UseSessionAuthorization(WebApplication app)
    {
        ((IApplicationBuilder)app).Properties[SessionAuthorizationMiddleware.SetKey] = true;
        app.UseMiddleware<SessionAuthorizationMiddleware>();
    }

    // routes.json sits just before the environment variables, so those still override any key in it. Its provider
    // watches the file itself and keeps the last good routes when an edit does not parse.
    private static void AddRoutesFile(WebApplicationBuilder builder)
    {
        var file = builder.Configuration[GatewayOptions.Section + ":RoutesFile"] ?? "routes.json";
        var path = ConfigDirectory.Resolve(builder.Environment, file);
        if (!File.Exists(path))
        {
            throw new GatewayConfigurationException($"Gateway:RoutesFile '{file}' was not found at '{path}'.");
        }
        var source = new RoutesFileConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(Path.GetDirectoryName(path)!),
            Path = Path.GetFileName(path),
            Optional = false,
        };
        IConfigurationBuilder configuration = builder.Configuration;
        var index = configuration.Sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource);
        configuration.Sources.Insert(index < 0 ? configuration.Sources.Count : index, source);
    }

    // No policy names a scheme: UseAuthentication has already run the Session scheme (the default) and set the user,
    // and a policy naming it would make the authorization middleware authenticate a second time and rebuild the user.
    private static void AddPolicies(AuthorizationOptions options, IConfiguration configuration)
    {
        var session = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.DefaultPolicy = session;
        options.FallbackPolicy = session;
        var policies = configuration.GetSection(GatewayOptions.Section + ":Policies").Get<Dictionary<string, PolicyOptions>>() ?? [];
        foreach (var (name, policy) in policies)
        {
            options.AddPolicy(name, builder =>
            {
                builder.RequireAuthenticatedUser();
                if (policy.Roles.Length > 0)
                {
                    builder.RequireRole(policy.Roles);
                }
            });
        }
    }

    [LoggerMessage(EventId = 1000, EventName = "InMemoryStore", Level = LogLevel.Warning,
        Message = "{Reason}: sessions live in this process only (single instance, lost on restart). Set ConnectionStrings:Redis for anything real.")]
    private static partial void LogInMemoryStore(ILogger logger, string reason);

    [LoggerMessage(EventId = 1001, EventName = "GatewayStarting", Level = LogLevel.Information,
        Message = "Gateway starting: store {Store}, users from {Users}, endpoints under {Prefix}.")]
    private static partial void LogStarting(ILogger logger, string store, string users, string prefix);
}
