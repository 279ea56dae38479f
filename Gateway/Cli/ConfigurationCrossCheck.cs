using Gateway.Configuration;
using Gateway.Endpoints;
using Gateway.Hosting;
using Gateway.Stores;
using Gateway.Users;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Cli;

/// <summary>
/// What <c>check-config</c> checks beyond the start-time validators: the routes as YARP would refuse them (paths,
/// matches), the login template as the start reads it, and mistakes a start lets through but an operator does not
/// mean: a policy with no roles (any session passes it), a users file without one usable entry (nobody can log in).
/// </summary>
internal static class ConfigurationCrossCheck
{
    /// <summary>
    /// The errors, and a one-line summary. Without <paramref name="services"/> the start-time validators have failed:
    /// only the checks that need no service run, so every mistake is still listed at once.
    /// </summary>
    public static async Task<(List<string> Errors, string Summary)> RunAsync(IConfiguration configuration, IHostEnvironment environment,
        IServiceProvider? services, GatewayOptions options)
    {
        var errors = new List<string>();
        if (services is not null)
        {
            var config = services.GetRequiredService<IProxyConfigProvider>().GetConfig(); // needs valid options
            _ = services.GetRequiredService<LoginTemplate>();
            // YARP's own checks, which the start runs when it loads the routes; unknown policies and clusters are
            // the validators' (already passed), so they never come twice.
            var validator = services.GetRequiredService<IConfigValidator>();
            foreach (var route in config.Routes)
            {
                errors.AddRange((await validator.ValidateRouteAsync(route)).Select(e => $"ReverseProxy:Routes:{route.RouteId}: {StartupErrors.Explain(e)}"));
            }
            foreach (var cluster in config.Clusters)
            {
                errors.AddRange((await validator.ValidateClusterAsync(cluster)).Select(e => $"ReverseProxy:Clusters:{cluster.ClusterId}: {StartupErrors.Explain(e)}"));
            }
        }

        foreach (var (name, policy) in options.Policies)
        {
            if (policy.Roles.Length == 0)
            {
                errors.Add($"Gateway:Policies:{name}:Roles is empty: any session would pass the policy; list its roles, or use 'default' on the routes instead.");
            }
        }

        var users = "the embedded demo users";
        var file = options.Users.File;
        var path = file.Length == 0 ? null : ConfigDirectory.Resolve(environment, file);
        if (path is not null && File.Exists(path)) // a missing file is the validators' error
        {
            try
            {
                var parsed = HtpasswdParser.Parse(await File.ReadAllTextAsync(path));
                if (parsed.Users.Count == 0)
                {
                    var refused = parsed.Problems.Count == 0 ? "the file is empty" : $"{parsed.Problems.Count} lines refused, the first: {parsed.Problems[0]}";
                    errors.Add($"Gateway:Users:File '{file}' holds no usable entry ({refused}): nobody could log in.");
                }
                users = $"{parsed.Users.Count} users";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"Gateway:Users:File '{file}' cannot be read: {e.Message}");
            }
        }

        var store = services?.GetService<StoreSelection>() is { Error: null } selection ? selection.Provider.ToString() : "not chosen";
        return (errors, $"store {store}, {configuration.GetSection("ReverseProxy:Routes").GetChildren().Count()} routes, {users}, {options.Policies.Count} policies");
    }
}
