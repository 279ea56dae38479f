using Gateway.Configuration;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Security;

/// <summary>Registration of the security defences and their place in the pipeline.</summary>
internal static class SecurityExtensions
{
    /// <summary>
    /// Login throttle, guessing guard, trusted proxies, Kestrel limits. The throttle store comes with the
    /// session store (<c>AddGatewayStore</c>).
    /// </summary>
    public static WebApplicationBuilder AddGatewaySecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<GatewayOptions>, SecurityOptionsValidator>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<SessionGuessingGuard>();
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<GatewayOptions>>((forwarded, gateway) => TrustedProxies.Configure(forwarded, gateway.Value.TrustedProxies));
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayOptions>>((kestrel, gateway) =>
        {
            kestrel.Limits.MaxRequestHeaderCount = gateway.Value.Limits.MaxHeaderCount;
            kestrel.Limits.MaxRequestHeadersTotalSize = gateway.Value.Limits.MaxHeaderBytes;
        });
        return builder;
    }

    /// <summary>Forwarded headers from trusted proxies only; must run before anything reads the client address or scheme.</summary>
    public static WebApplication UseGatewayForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.TrustedProxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }
        return app;
    }
}
