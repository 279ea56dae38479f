using Gateway.Configuration;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Connections;

/// <summary>Registration of the connection tracking, and its place in YARP's pipeline.</summary>
internal static class ConnectionExtensions
{
    public static WebApplicationBuilder AddGatewayConnections(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<GatewayOptions>, ConnectionOptionsValidator>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<ConnectionRegistry>());
        services.AddSingleton<ITransformProvider, EventStreamTransformProvider>();
        return builder;
    }

    /// <summary>First in YARP's pipeline: every proxied request under a session is registered before it is forwarded.</summary>
    public static IApplicationBuilder UseGatewayConnections(this IApplicationBuilder proxy) => proxy.UseMiddleware<ConnectionTrackingMiddleware>();
}
