using Gateway.Configuration;
using Gateway.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Security;

/// <summary>
/// Limits checked before authentication, so no oversized request costs a store lookup or a password hash:
/// too many cookie pairs → 431; a body over <c>Gateway:Limits:MaxBodyBytes</c> to a gateway endpoint → 413
/// (declared length at once, chunked bodies when read). Header count and size are Kestrel's (431).
/// </summary>
internal sealed class RequestLimitsMiddleware(RequestDelegate next, IOptionsMonitor<GatewayOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var settings = options.CurrentValue;
        var request = context.Request;
        if (CountCookies(request) > settings.Limits.MaxCookies)
        {
            return GatewayResponses.ProblemAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "too_many_cookies",
                $"more than {settings.Limits.MaxCookies} cookies");
        }
        if (request.Path.StartsWithSegments(settings.Endpoints.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            if (request.ContentLength > settings.Limits.MaxBodyBytes)
            {
                return GatewayResponses.ProblemAsync(context, StatusCodes.Status413PayloadTooLarge, "body_too_large", "request body too large");
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = settings.Limits.MaxBodyBytes;
            }
        }
        return next(context);
    }

    private static int CountCookies(HttpRequest request)
    {
        var count = 0;
        foreach (var header in request.Headers.Cookie)
        {
            count += header is null ? 0 : header.AsSpan().Count(';') + 1;
        }
        return count;
    }
}
