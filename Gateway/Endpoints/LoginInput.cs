using System.Text.Json;
using Gateway.Authentication;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Endpoints;

/// <summary>
/// Reads a login attempt from a form, a JSON body or a Basic header, within small limits (a login body is
/// tiny): oversized bodies are refused with 413 before anything is hashed.
/// </summary>
internal sealed record LoginInput(LoginKind Kind, string Username, string Password, string ReturnUrl, bool Remember = false, bool WantsToken = false)
{
    public const int MaxBodyBytes = 16 * 1024;

    private static readonly FormOptions Limits = new()
    {
        BufferBody = false,
        ValueCountLimit = 16,
        KeyLengthLimit = 64,
        ValueLengthLimit = 4096,
        MultipartBodyLengthLimit = MaxBodyBytes,
        MultipartHeadersLengthLimit = 4096,
    };

    /// <summary>The attempt, or an error (status and short reason) to answer with.</summary>
    public static async Task<(LoginInput? Input, int Status, string? Error)> ReadAsync(HttpContext context)
    {
        try
        {
            return await ReadCoreAsync(context);
        }
        catch (InvalidDataException)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, "login form too large");
        }
        catch (BadHttpRequestException e)
        {
            return (null, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "login body too large" : "malformed login body");
        }
    }

    private static async Task<(LoginInput? Input, int Status, string? Error)> ReadCoreAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, "login body too large");
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxBodyBytes;
        }

        if (request.HasFormContentType)
        {
            context.Features.Set<IFormFeature>(new FormFeature(request, Limits));
            var form = await request.ReadFormAsync(context.RequestAborted);
            var remember = form["remember"].ToString() is "on" or "true" or "1";
            return (new LoginInput(LoginKind.Form, form["username"].ToString(), form["password"].ToString(),
                Endpoints.ReturnUrl.OrRoot(form["returnUrl"].ToString()), remember), 0, null);
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
