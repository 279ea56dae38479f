using Gateway.Authentication;
using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy;

/// <summary>
/// Checks routes.json against the rest of the configuration at start, so its mistakes are reported together with
/// every other configuration error: a route naming an unknown policy or cluster, a route or cluster timeout that
/// is not a positive duration, an unknown <c>Gateway.Challenge</c>, or a <c>Gateway.SharedCache</c> or
/// <c>Gateway.EncodedSlashes</c> other than <c>allow</c>. Only the routes present at start are checked; a later routes.json edit is checked
/// by YARP, which logs why and keeps the last good routes (a failed check here would fail every request instead).
/// </summary>
internal sealed class RouteReferencesValidator(IConfiguration configuration) : IValidateOptions<GatewayOptions>
{
    private static readonly string[] BuiltInPolicies = ["default", "anonymous"];

    private IReadOnlyList<string>? _errors;

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = _errors ??= Check(configuration.GetSection("ReverseProxy"), options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static List<string> Check(IConfigurationSection proxy, GatewayOptions options)
    {
        var errors = new List<string>();
        var clusters = proxy.GetSection("Clusters").GetChildren().Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var route in proxy.GetSection("Routes").GetChildren())
        {
            var key = "ReverseProxy:Routes:" + route.Key;
            var policy = route["AuthorizationPolicy"];
            if (!string.IsNullOrEmpty(policy) && !BuiltInPolicies.Contains(policy, StringComparer.OrdinalIgnoreCase) && !options.Policies.ContainsKey(policy))
            {
                errors.Add($"{key}:AuthorizationPolicy '{policy}' is neither 'default', 'anonymous' nor a policy under Gateway:Policies.");
            }
            var cluster = route["ClusterId"];
            if (string.IsNullOrEmpty(cluster) || !clusters.Contains(cluster))
            {
                errors.Add($"{key}:ClusterId '{cluster}' names no cluster under ReverseProxy:Clusters.");
            }
            PositiveDuration(key + ":Timeout", route["Timeout"], errors);
            if (route.GetSection("Metadata")[BrowserChallengeSelector.RouteMetadata] is { } challenge && !BrowserChallengeSelector.TryParse(challenge, out _))
            {
                errors.Add($"{key}:Metadata:{BrowserChallengeSelector.RouteMetadata} must be 'Form' or 'Basic' (got '{challenge}').");
            }
            if (route.GetSection("Metadata")[Proxy.SharedCacheTransformProvider.RouteMetadata] is { } shared && !Proxy.SharedCacheTransformProvider.IsAllow(shared))
            {
                errors.Add($"{key}:Metadata:{Proxy.SharedCacheTransformProvider.RouteMetadata} must be 'allow' (got '{shared}').");
            }
            if (route.GetSection("Metadata")[Security.PathSafety.EncodedSlashesMetadata] is { } slashes && !Security.PathSafety.AllowsEncodedSlashes(
                    new Dictionary<string, string> { [Security.PathSafety.EncodedSlashesMetadata] = slashes }))
            {
                errors.Add($"{key}:Metadata:{Security.PathSafety.EncodedSlashesMetadata} must be 'allow' or absent (got '{slashes}').");
            }
        }
        foreach (var cluster in proxy.GetSection("Clusters").GetChildren())
        {
            PositiveDuration($"ReverseProxy:Clusters:{cluster.Key}:HttpRequest:ActivityTimeout", cluster["HttpRequest:ActivityTimeout"], errors);
        }
        return errors;
    }

    private static void PositiveDuration(string key, string? value, List<string> errors)
    {
        if (value is not null && !(TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero))
        {
            errors.Add($"{key} must be a positive duration such as 00:01:00 (got '{value}').");
        }
    }
}
