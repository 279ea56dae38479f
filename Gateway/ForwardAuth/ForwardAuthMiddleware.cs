using System.Net;
using Gateway.Configuration;
using Gateway.Http;
using Gateway.Security;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace Gateway.ForwardAuth;

/// <summary>
/// Prepares a call to verify before the Session scheme runs: reads the original request (from a trusted caller
/// only), refuses an unreadable or ambiguous one with 400 (<see cref="PathSafety"/>, the encoded-slash choice
/// being the matched route's), finds its route, and has the CSRF rules judge the original request
/// (<see cref="CsrfSubject"/>), so a forged one is refused before any Basic credentials are looked up. Other
/// requests pass untouched.
/// </summary>
internal sealed partial class ForwardAuthMiddleware(RequestDelegate next, ForwardAuthRouteMatcher routes, IOptions<GatewayOptions> options,
    ILogger<ForwardAuthMiddleware> logger)
{
    private readonly IPNetwork[] _trusted = options.Value.TrustedProxies
        .Select(entry => TrustedProxies.TryParse(entry, out var network) ? network : (IPNetwork?)null)
        .OfType<IPNetwork>()
        .ToArray();

    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ForwardAuthEndpoints.Marker>() is null)
        {
            return next(context);
        }
        var prefix = options.Value.Endpoints.Prefix;
        var original = OriginalRequest.Read(context, IsTrusted(context), prefix, out var refusal);
        if (original is not null)
        {
            refusal = PathSafety.Refusal(original.RawPath, out var encodedSlash);
            if (refusal is null)
            {
                var own = original.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase);
                var route = own ? null : routes.Match(context, original.Method, original.Host.Host, original.Port, original.Path);
                if (encodedSlash && !PathSafety.AllowsEncodedSlashes(route?.Metadata))
                {
                    refusal = PathSafety.EncodedSlashRefusal;
                }
                else
                {
                    context.Features.Set(new ForwardAuthTarget(original, route, own));
                    context.Features.Set(new CsrfSubject(original.Method, original.Origin, route?.Metadata));
                    return next(context);
                }
            }
        }
        LogRefused(logger, original?.Mode.ToString() ?? "unreadable", refusal!);
        return GatewayResponses.ProblemAsync(context, StatusCodes.Status400BadRequest, original is null ? "bad_request" : "ambiguous_path", refusal!);
    }

    private bool IsTrusted(HttpContext context)
    {
        var address = context.Features.Get<ForwardAuthPeer>() is { } peer ? peer.Address : context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var network in _trusted)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    [LoggerMessage(EventId = 2910, EventName = "ForwardAuthRefused", Level = LogLevel.Information, Message = "Forward auth ({Mode}) refused the original request: {Reason}.")]
    private static partial void LogRefused(ILogger logger, string mode, string reason);
}
