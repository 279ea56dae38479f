namespace Gateway.Sessions;

/// <summary>Secrets shared by every gateway on one store (keys for credential links, assertion signing keys).</summary>
internal interface ISecretStore
{
    /// <summary>A random 256-bit secret shared by every gateway using this store, created on first use.</summary>
    Task<byte[]> GetOrCreateSecretAsync(string name, CancellationToken cancellationToken);
}
