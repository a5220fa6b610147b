namespace Truust.Api.Persistence;

/// <summary>
/// A DbContext whose migrations start-up applies, in registration order: Truust's own first, then any other
/// context sharing the database (the simulated gateways' records), which Persistence must not know by name.
/// </summary>
public sealed record MigratedContext(Type ContextType);
