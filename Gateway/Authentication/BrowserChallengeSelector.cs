using Gateway.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Authentication;

/// <summary>Which challenge a browser navigation meets: the route's <c>Gateway.Challenge</c> metadata, else the configured default.</summary>
internal static class BrowserChallengeSelector
{
    /// <summary>Route metadata key in routes.json: <c>"Metadata": { "Gateway.Challenge": "Basic" }</c>.</summary>
    public const string RouteMetadata = "Gateway.Challenge";

    public static BrowserChallenge For(HttpContext context, LoginOptions login) =>
        For(context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.Metadata, login);

    /// <summary>The challenge for a route with this metadata (forward auth's matched route; null when none matched).</summary>
    public static BrowserChallenge For(IReadOnlyDictionary<string, string>? routeMetadata, LoginOptions login) =>
        routeMetadata?.GetValueOrDefault(RouteMetadata) is { } value && TryParse(value, out var challenge)
            ? challenge
            : login.BrowserChallenge;

    /// <summary>Names only (<c>Form</c>, <c>Basic</c>, any case): <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> would take "1".</summary>
    public static bool TryParse(string value, out BrowserChallenge challenge)
    {
        foreach (var candidate in Enum.GetValues<BrowserChallenge>())
        {
            if (string.Equals(value, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                challenge = candidate;
                return true;
            }
        }
        challenge = default;
        return false;
    }
}
