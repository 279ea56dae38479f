using Gateway.Configuration;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Proxy;

/// <summary>
/// Applies <see cref="IdentityHeaders"/> to every route, and keeps a backend from setting the gateway's own
/// session cookie on the client (which would let a backend plant a session).
/// </summary>
internal sealed class IdentityTransformProvider(IOptionsMonitor<GatewayOptions> options) : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        context.AddRequestTransform(transform =>
        {
            IdentityHeaders.Apply(transform.ProxyRequest, transform.HttpContext.User, options.CurrentValue);
            return ValueTask.CompletedTask;
        });
        context.AddResponseTransform(transform =>
        {
            if (transform.ProxyResponse is { } response && response.Headers.NonValidated.TryGetValues("Set-Cookie", out var fromBackend))
            {
                var name = options.CurrentValue.Session.CookieName + "=";
                var planted = fromBackend.Where(c => c.TrimStart().StartsWith(name, StringComparison.OrdinalIgnoreCase)).ToHashSet(StringComparer.Ordinal);
                if (planted.Count > 0)
                {
                    var headers = transform.HttpContext.Response.Headers;
                    headers.SetCookie = headers.SetCookie.Where(c => c is null || !planted.Contains(c)).ToArray();
                }
            }
            return ValueTask.CompletedTask;
        });
    }
}
