using System.Text.Encodings.Web;
using Gateway.Configuration;
using Gateway.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Endpoints;

/// <summary>
/// The login page: plain HTML that works without JavaScript, labelled fields with password-manager hints, a
/// remember-me box, no inline script or style (the CSP forbids both), and one generic error for any failure,
/// announced to screen readers. Title, logo and markup come from <c>Gateway:Login</c>.
/// </summary>
internal static class LoginPage
{
    public const string StylesheetPath = GatewayStylesheet.Path;

    public const string Stylesheet = GatewayStylesheet.Css;

    public const string ErrorMessage = "Invalid user name or password.";

    public static Task WriteAsync(HttpContext context, string prefix, string title, string returnUrl, string username, bool failed, int status = 200) =>
        WriteAsync(context, prefix, title, returnUrl, username, failed, remember: false, status);

    public static Task WriteAsync(HttpContext context, string prefix, string title, string returnUrl, string username, bool failed, bool remember, int status)
    {
        var html = HtmlEncoder.Default;
        var login = context.RequestServices.GetRequiredService<IOptionsMonitor<GatewayOptions>>().CurrentValue.Login;
        var template = context.RequestServices.GetRequiredService<LoginTemplate>();
        var invalid = failed ? " aria-invalid=\"true\" aria-describedby=\"login-error\"" : "";
        // After a failure the user name is kept and the password is what needs typing again.
        var (userFocus, passwordFocus) = failed && username.Length > 0 ? ("", " autofocus") : (" autofocus", "");
        var form = $"""
            <form method="post" action="{html.Encode(prefix + "/login")}">
            <input type="hidden" name="returnUrl" value="{html.Encode(returnUrl)}">
            <label for="username">User name</label>
            <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required{userFocus}{invalid} value="{html.Encode(username)}">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required{passwordFocus}{invalid}>
            <div class="remember"><input id="remember" name="remember" type="checkbox" value="on"{(remember ? " checked" : "")}><label for="remember">Remember me</label></div>
            <button type="submit">Sign in</button>
            </form>
            """;
        var page = template.Render(new Dictionary<string, string>
        {
            ["title"] = html.Encode(title),
            ["logo"] = login.LogoUrl.Length > 0 ? $"<img class=\"logo\" src=\"{html.Encode(login.LogoUrl)}\" alt=\"\">\n" : "",
            ["error"] = failed ? $"<p id=\"login-error\" class=\"error\" role=\"alert\">{ErrorMessage}</p>\n" : "",
            ["form"] = form,
            ["stylesheet"] = html.Encode(prefix + StylesheetPath),
            ["prefix"] = html.Encode(prefix),
        });
        return GatewayResponses.HtmlAsync(context, page, status, Csp(login.LogoUrl));
    }

    public static Task WriteHtmlAsync(HttpContext context, string page, int status) =>
        GatewayResponses.HtmlAsync(context, page, status);

    /// <summary>The page CSP, allowing images from the logo's origin when the logo lives elsewhere.</summary>
    public static string Csp(string logoUrl) =>
        Uri.TryCreate(logoUrl, UriKind.Absolute, out var logo) && logo.Scheme is "http" or "https"
            ? GatewayResponses.PageCsp.Replace("img-src 'self' data:", "img-src 'self' data: " + logo.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
            : GatewayResponses.PageCsp;
}
