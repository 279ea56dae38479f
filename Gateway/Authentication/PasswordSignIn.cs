using Gateway.Security;
using Gateway.Sessions;
using Gateway.Telemetry;
using Gateway.Users;

namespace Gateway.Authentication;

/// <summary>
/// The one way a password becomes a session, for the login endpoint and for Basic credentials on any route: a place
/// in the login throttle's counts before any hashing, the password check and its metric, the outcome counted, then
/// (on success) the new session.
/// </summary>
internal sealed class PasswordSignIn(LoginThrottle throttle, PasswordVerifier verifier, SessionService sessions)
{
    public async Task<SignInOutcome> SignInAsync(SignInRequest request, CancellationToken cancellationToken)
    {
        await using var attempt = await throttle.BeginAsync(request.User, request.Client.Ip, cancellationToken);
        if (attempt.RetryAfter is { } wait)
        {
            return new SignInOutcome(null, PasswordFailure.None, wait);
        }
        var check = request.Verify
            ? await verifier.VerifyAsync(request.User, request.Password, cancellationToken)
            : new PasswordCheck(null, PasswordFailure.UnknownUser);
        if (check.Failure == PasswordFailure.Overloaded)
        {
            // Not a failed guess: the attempt ends unended, so its place in the throttle's counts is given back.
            GatewayTelemetry.LoginRefused(request.Method, "capacity");
            return new SignInOutcome(null, PasswordFailure.Overloaded, null);
        }
        GatewayTelemetry.LoginChecked(request.Method, check.FailureClass);
        if (check.User is null)
        {
            await attempt.FailedAsync(cancellationToken);
            return new SignInOutcome(null, check.Failure, null);
        }
        await attempt.SucceededAsync(cancellationToken);
        if (request.BeforeCreate is { } before)
        {
            await before(cancellationToken);
        }
        var (id, session) = await sessions.CreateAsync(check.User, request.Method, request.Client, request.RememberSelector, cancellationToken);
        return new SignInOutcome(new SignedIn(check.User, id, session), PasswordFailure.None, null);
    }
}

/// <summary>A sign-in by <paramref name="Method"/> (form, json, basic) from <paramref name="Client"/>.</summary>
internal sealed record SignInRequest(string User, string Password, string Method, ClientInfo Client)
{
    /// <summary>False when the input is out of bounds: counted as a failure (unknown user) without hashing.</summary>
    public bool Verify { get; init; } = true;

    /// <summary>The remember-me selector the new session records, if the caller asked to be remembered.</summary>
    public string? RememberSelector { get; init; }

    /// <summary>Runs once the password is good and before the session is created (ending the session it replaces).</summary>
    public Func<CancellationToken, Task>? BeforeCreate { get; init; }
}

/// <summary>
/// The user signed in with a new session, or why not: <see cref="Failure"/> (<see cref="PasswordFailure.Overloaded"/>:
/// no hashing capacity, answered with 503), or banned for <see cref="RetryAfter"/>.
/// </summary>
internal sealed record SignInOutcome(SignedIn? SignedIn, PasswordFailure Failure, TimeSpan? RetryAfter);

/// <summary>A successful sign-in: the user, the new session's id (for the cookie or token) and the session.</summary>
internal sealed record SignedIn(UserEntry User, SessionId Id, ResolvedSession Session);
