using Gateway.Http;
using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.ForwardAuth;

/// <summary>
/// Checks <c>Gateway:ForwardAuth</c> and the cookie domain forward auth across subdomains needs
/// (<c>Gateway:Session:CookieDomain</c>), every error at once with its key.
/// </summary>
internal sealed class ForwardAuthOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = new List<string>();
        var hosts = options.ForwardAuth.AllowedHosts;
        for (var i = 0; i < hosts.Length; i++)
        {
            if (!HostPattern.IsValid(hosts[i]))
            {
                errors.Add($"Gateway:ForwardAuth:AllowedHosts:{i} '{hosts[i]}' is not a host such as 'app.example.com' or '*.example.com' (optional ':port', no scheme or path).");
            }
        }

        var session = options.Session;
        if (session.CookieDomain is { Length: > 0 } domain)
        {
            var bare = domain.StartsWith('.') ? domain[1..] : domain;
            if (Uri.CheckHostName(bare) != UriHostNameType.Dns || bare.Contains('*'))
            {
                errors.Add($"Gateway:Session:CookieDomain '{domain}' is not a domain name such as 'example.com'.");
            }
            if (session.CookieName.StartsWith("__Host-", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"Gateway:Session:CookieDomain cannot be used with the cookie name '{session.CookieName}': browsers refuse a __Host- cookie that names a domain.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
