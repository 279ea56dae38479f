using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.ForwardAuth;

/// <summary>Registration of forward auth and its place in the pipeline.</summary>
internal static class ForwardAuthExtensions
{
    public static WebApplicationBuilder AddGatewayForwardAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IValidateOptions<GatewayOptions>, ForwardAuthOptionsValidator>();
        builder.Services.AddSingleton<ForwardAuthRouteMatcher>();
        return builder;
    }

    /// <summary>Keeps the TCP peer of calls to verify; must run before the forwarded-headers middleware replaces it.</summary>
    public static WebApplication UseGatewayForwardAuthPeer(this WebApplication app, GatewayOptions options)
    {
        if (options.TrustedProxies.Length == 0)
        {
            return app; // no forwarded-headers middleware: the remote address stays the peer's
        }
        var prefix = options.Endpoints.Prefix;
        var verify = new PathString(prefix + OriginalRequest.VerifyPath);
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(verify, StringComparison.OrdinalIgnoreCase))
            {
                context.Features.Set(new ForwardAuthPeer(context.Connection.RemoteIpAddress));
            }
            return next(context);
        });
        return app;
    }
}
