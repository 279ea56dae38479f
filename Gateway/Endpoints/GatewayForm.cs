using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Gateway.Endpoints;

/// <summary>
/// The one way the gateway's own endpoints read a form: within <c>Gateway:Limits:MaxBodyBytes</c> and small field
/// limits (these forms hold a few short fields). A malformed form throws <see cref="BadHttpRequestException"/> 400 and
/// one over a limit 413, like Kestrel's own body errors; callers answer them, or <see cref="GatewayErrorMiddleware"/> does.
/// </summary>
internal static class GatewayForm
{
    private const int MaxBoundaryLength = 70; // RFC 2046

    public static async Task<IFormCollection> ReadAsync(HttpContext context, int maxBodyBytes)
    {
        var request = context.Request;
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type) &&
            type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) &&
            HeaderUtilities.RemoveQuotes(type.Boundary).Length is 0 or > MaxBoundaryLength)
        {
            throw new BadHttpRequestException("multipart form without a valid boundary", StatusCodes.Status400BadRequest);
        }
        context.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
        {
            BufferBody = false,
            ValueCountLimit = 16,
            KeyLengthLimit = 64,
            ValueLengthLimit = 4096,
            MultipartBodyLengthLimit = maxBodyBytes,
            MultipartHeadersLengthLimit = 4096,
        }));
        try
        {
            return await request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException e)
        {
            // The form and multipart readers report every exceeded limit as "... limit N exceeded."; the rest is malformed.
            var tooLarge = e.Message.Contains(" limit ", StringComparison.OrdinalIgnoreCase);
            throw new BadHttpRequestException(tooLarge ? "form fields over the limits" : "malformed form",
                tooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest, e);
        }
        catch (IOException e) when (e is not BadHttpRequestException && !context.RequestAborted.IsCancellationRequested)
        {
            // The multipart reader's "Unexpected end of Stream": a body that ends before its closing boundary.
            throw new BadHttpRequestException("malformed form", StatusCodes.Status400BadRequest, e);
        }
    }
}
