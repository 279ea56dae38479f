using System.Text.Json;
using Gateway.Authentication;

namespace Gateway.Endpoints;

/// <summary>
/// Reads a login attempt from a form, a JSON body or a Basic header. The body limit is the gateway's
/// (<c>Gateway:Limits:MaxBodyBytes</c>, set by <see cref="Security.RequestLimitsMiddleware"/>): an oversized body is
/// refused with 413 and a malformed one with 400, before anything is hashed.
/// </summary>
internal sealed record LoginInput(LoginKind Kind, string Username, string Password, string ReturnUrl, bool Remember = false, bool WantsToken = false)
{
    /// <summary>The attempt, or an error (status and short reason) to answer with.</summary>
    public static async Task<(LoginInput? Input, int Status, string? Error)> ReadAsync(HttpContext context, int maxBodyBytes, IReadOnlyCollection<string> allowedHosts)
    {
        try
        {
            return await ReadCoreAsync(context, maxBodyBytes, allowedHosts);
        }
        catch (BadHttpRequestException e)
        {
            return (null, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "login body too large" : "malformed login body");
        }
    }

    private static async Task<(LoginInput? Input, int Status, string? Error)> ReadCoreAsync(HttpContext context, int maxBodyBytes, IReadOnlyCollection<string> allowedHosts)
    {
        var (input, status, error) = await ReadAnyAsync(context, maxBodyBytes, allowedHosts);
        // As Basic credentials: no user name holds a control character, so none can reach a log or a terminal.
        return input is not null && input.Username.Any(char.IsControl)
            ? (null, StatusCodes.Status400BadRequest, "user name contains control characters")
            : (input, status, error);
    }

    private static async Task<(LoginInput? Input, int Status, string? Error)> ReadAnyAsync(HttpContext context, int maxBodyBytes, IReadOnlyCollection<string> allowedHosts)
    {
        var request = context.Request;
        if (request.HasFormContentType)
        {
            var form = await GatewayForm.ReadAsync(context, maxBodyBytes);
            var remember = form["remember"].ToString() is "on" or "true" or "1";
            return (new LoginInput(LoginKind.Form, form["username"].ToString(), form["password"].ToString(),
                Authentication.ReturnUrl.OrRoot(form["returnUrl"].ToString(), allowedHosts), remember), 0, null);
        }
        if (request.HasJsonContentType())
        {
            LoginRequest? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync(request.Body, JsonContext.Default.LoginRequest, context.RequestAborted);
            }
            catch (JsonException)
            {
                return (null, StatusCodes.Status400BadRequest, "login body is not valid JSON");
            }
            if (body?.Username is null || body.Password is null)
            {
                return (null, StatusCodes.Status400BadRequest, "JSON login needs \"username\" and \"password\"");
            }
            return (new LoginInput(LoginKind.Json, body.Username, body.Password, "/", body.Remember, body.Token), 0, null);
        }

        var basic = BasicCredentials.Parse(request.Headers.Authorization);
        return basic.Status switch
        {
            BasicParseStatus.Ok when request.ContentLength is null or 0 => (new LoginInput(LoginKind.Basic, basic.User, basic.Password, "/"), 0, null),
            BasicParseStatus.Malformed => (null, StatusCodes.Status400BadRequest, basic.Reason),
            BasicParseStatus.TooLarge => (null, StatusCodes.Status431RequestHeaderFieldsTooLarge, basic.Reason),
            _ => (null, StatusCodes.Status415UnsupportedMediaType, "send a form, a JSON body or Basic credentials"),
        };
    }
}

/// <summary>How the login attempt arrived; decides the shape of the answer.</summary>
internal enum LoginKind
{
    Form,
    Json,
    Basic,
}
