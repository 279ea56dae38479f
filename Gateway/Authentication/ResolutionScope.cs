using System.Diagnostics;
using Gateway.Telemetry;

namespace Gateway.Authentication;

/// <summary>
/// Session resolution for one request: an internal span (<c>gateway.session.resolve</c>) whose store calls are its
/// children, and the <c>gateway.session.resolution.duration</c> histogram. Carrier and outcome are read from
/// the request's <see cref="SessionAuthenticationFeature"/> when the scope ends.
/// </summary>
internal sealed class ResolutionScope(SessionAuthenticationFeature feature) : IDisposable
{
    /// <summary>Starts the span and timer; dispose it when authentication ends. Null when nothing listens.</summary>
    public static ResolutionScope? Start(SessionAuthenticationFeature feature) =>
        GatewayTelemetry.ObservesResolution ? new(feature) : null;

    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Activity? _activity = GatewayTelemetry.Source.StartActivity("gateway.session.resolve");

    public void Dispose()
    {
        var carrier = feature.Carrier ?? "none";
        var outcome = Outcome(feature);
        GatewayTelemetry.SessionResolved(carrier, outcome, Stopwatch.GetElapsedTime(_started).TotalSeconds);
        if (_activity is null)
        {
            return;
        }
        _activity.SetTag("gateway.session.carrier", carrier);
        _activity.SetTag("gateway.session.outcome", outcome);
        if (feature.Session is { } session)
        {
            // The non-secret handle, as backends see it in X-Auth-Session; never the id.
            _activity.SetTag("gateway.session.handle", session.Key.Handle);
        }
        if (feature.Failure == AuthenticationFailure.StoreUnavailable)
        {
            _activity.SetStatus(ActivityStatusCode.Error);
        }
        _activity.Dispose();
    }

    private static string Outcome(SessionAuthenticationFeature feature) => feature switch
    {
        { Session: not null } => "success",
        { Failure: AuthenticationFailure.StoreUnavailable } => "store_unavailable",
        { Failure: AuthenticationFailure.Overloaded } => "overloaded",
        { Failure: AuthenticationFailure.Malformed } => "malformed",
        { Failure: AuthenticationFailure.TooLarge } => "too_large",
        { Failure: AuthenticationFailure.InvalidCredentials } => "invalid_credentials",
        { Failure: AuthenticationFailure.SessionEnded } => "session_ended",
        { Failure: AuthenticationFailure.LoggedOut } => "logged_out",
        _ => "none",
    };
}
