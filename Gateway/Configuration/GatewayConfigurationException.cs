namespace Gateway.Configuration;

/// <summary>
/// A start-time mistake the operator can fix (a routes or users file that cannot be read, ...), each error naming its
/// key: reported like a failed validation, as a list without a stack trace.
/// </summary>
public sealed class GatewayConfigurationException(IReadOnlyList<string> errors) : Exception(string.Join(" ", errors))
{
    public GatewayConfigurationException(string error)
        : this([error])
    {
    }

    public IReadOnlyList<string> Errors { get; } = errors;
}
