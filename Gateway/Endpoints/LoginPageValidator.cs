using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Endpoints;

/// <summary>
/// Checks the login page's look (<c>Gateway:Login:Title</c>, <c>LogoUrl</c>, <c>TemplateFile</c>) at start,
/// reporting every error with its key, beside <see cref="GatewayOptionsValidator"/>.
/// </summary>
internal sealed class LoginPageValidator(IHostEnvironment environment) : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var login = options.Login;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(login.Title) || login.Title.Length > 200 || login.Title.Any(char.IsControl))
        {
            errors.Add($"Gateway:Login:Title must be 1 to 200 printable characters (got '{login.Title}').");
        }
        if (login.LogoUrl.Length > 0 && !IsLogoUrl(login.LogoUrl))
        {
            errors.Add($"Gateway:Login:LogoUrl must be a path on this site ('/static/logo.svg') or an http(s) URL, without spaces, quotes, ';' or ',' (got '{login.LogoUrl}').");
        }
        if (login.TemplateFile.Length > 0)
        {
            errors.AddRange(LoginTemplate.Read(ConfigDirectory.Resolve(environment, login.TemplateFile)).Errors);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    // The URL lands in an attribute and, when absolute, in the CSP: characters that could end either are refused.
    internal static bool IsLogoUrl(string url)
    {
        if (url.Length > 2048 || url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\'' or ';' or ',' or '<' or '>' or '\\'))
        {
            return false;
        }
        if (url[0] == '/')
        {
            return url.Length == 1 || url[1] != '/';
        }
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0 && uri.UserInfo.Length == 0;
    }
}
