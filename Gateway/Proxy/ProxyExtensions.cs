using Gateway.Configuration;
using Gateway.Connections;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy;

/// <summary>Registration of YARP with routes.json, the identity transforms and the trace-context client, and its place in the pipeline.</summary>
internal static class ProxyExtensions
{
    /// <summary>
    /// routes.json as a configuration source, then YARP loading <c>ReverseProxy</c> with the identity transforms,
    /// and the route references checked at start. Called first: the steps after it read the configuration.
    /// </summary>
    public static WebApplicationBuilder AddGatewayProxy(this WebApplicationBuilder builder)
    {
        AddRoutesFile(builder);
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<GatewayOptions>, RouteReferencesValidator>();
        services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddTransforms<IdentityTransformProvider>()
            .AddTransforms<SharedCacheTransformProvider>()
            .AddTransforms<RawPathTransformProvider>();
        services.Replace(ServiceDescriptor.Singleton<IForwarderHttpClientFactory, TraceContextClientFactory>());
        return builder;
    }

    /// <summary>The proxy, last: whatever no gateway endpoint took. routes.json's provider logs its reloads from now on.</summary>
    public static WebApplication MapGatewayProxy(this WebApplication app)
    {
        foreach (var routes in ((IConfigurationRoot)app.Configuration).Providers.OfType<RoutesFileConfigurationProvider>())
        {
            routes.UseLogger(app.Services.GetRequiredService<ILogger<RoutesFileConfigurationProvider>>());
        }
        // The overload with a pipeline drops YARP's default steps: they are added back after the connection tracking.
        app.MapReverseProxy(proxy =>
        {
            proxy.UseGatewayConnections();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
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
}
