namespace Gateway.Sessions;

/// <summary>Whether the store answers: feeds <c>/readyz</c>.</summary>
internal interface IStoreHealth
{
    /// <summary>Throws when the store cannot answer.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
