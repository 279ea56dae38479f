using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Endpoints;

/// <summary>
/// CSRF defence for the gateway's own endpoints (<c>{prefix}/...</c>): an unsafe request (POST, PUT, PATCH,
/// DELETE) sent by a browser from another origin gets 403 before it can sign anyone in or out. The session
/// cookie is <c>SameSite=Lax</c>, which stops cross-site posts but not ones from a sibling origin of the same
/// site (another port or subdomain), so the browser's own word decides: <c>Sec-Fetch-Site</c> must be
/// <c>same-origin</c> or <c>none</c>; without it, an <c>Origin</c> header must name this origin. Clients that are
/// not browsers send neither and pass.
/// </summary>
internal sealed partial class SameOriginGuard(RequestDelegate next, IOptionsMonitor<GatewayOptions> options, ILogger<SameOriginGuard> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) ||
            !request.Path.StartsWithSegments(options.CurrentValue.Endpoints.Prefix, StringComparison.OrdinalIgnoreCase) ||
            IsSameOrigin(request))
        {
            return next(context);
        }
        LogRefused(logger, request.Method, request.Path, request.Headers["Sec-Fetch-Site"].ToString(), request.Headers.Origin.ToString());
        return GatewayResponses.ProblemAsync(context, StatusCodes.Status403Forbidden, "cross_origin", "cross-origin requests to the gateway's endpoints are refused");
    }

    internal static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"];
        if (site.Count > 0)
        {
            return site.Count == 1 && site[0] is "same-origin" or "none";
        }
        var origin = request.Headers.Origin;
        if (origin.Count == 0)
        {
            return true;
        }
        return origin.Count == 1 && string.Equals(origin[0], $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
    }

    [LoggerMessage(EventId = 1600, EventName = "CrossOriginRefused", Level = LogLevel.Warning,
        Message = "Refused cross-origin {Method} {Path} (Sec-Fetch-Site '{Site}', Origin '{Origin}').")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, string site, string origin);
}
