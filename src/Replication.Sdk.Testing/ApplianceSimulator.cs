namespace Replication.Sdk.Testing;

/// <summary>
/// An in-process VMA and OMA on real loopback HTTP (127.0.0.1, OS-assigned ports), speaking the appliances' wire contract
/// with its quirks. Point the SDK's <c>Replication:Vma:BaseAddress</c> and <c>Replication:Oma:BaseAddress</c> at
/// <see cref="VmaBaseAddress"/> and <see cref="OmaBaseAddress"/>.
/// </summary>
/// <example>
/// <code>
/// await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 3 });
/// services.AddReplicationSdk().ConfigureVma(o => o.BaseAddress = sim.VmaBaseAddress).ConfigureOma(o => o.BaseAddress = sim.OmaBaseAddress);
/// </code>
/// </example>
public sealed class ApplianceSimulator : IAsyncDisposable
{
    private readonly SimulatedAppliance _vma;
    private readonly SimulatedAppliance _oma;
    private readonly OmaState _state;
    private readonly OmaSessions _sessions;

    private ApplianceSimulator(SimulatorOptions options, SimulatedInventory inventory, FaultPlan faults, RequestJournal journal, OmaState state, OmaSessions sessions, SimulatedAppliance vma, SimulatedAppliance oma)
    {
        _sessions = sessions;
        Options = options;
        Inventory = inventory;
        Faults = faults;
        Journal = journal;
        _state = state;
        _vma = vma;
        _oma = oma;
    }

    /// <summary>Gets the options the simulator runs with.</summary>
    public SimulatorOptions Options { get; }

    /// <summary>Gets the vCenter inventory the VMA discovers.</summary>
    public SimulatedInventory Inventory { get; }

    /// <summary>Gets the fault plan.</summary>
    public FaultPlan Faults { get; }

    /// <summary>Gets the journal of every request.</summary>
    public RequestJournal Journal { get; }

    /// <summary>Gets the VMA's base address.</summary>
    public Uri VmaBaseAddress => _vma.BaseAddress;

    /// <summary>Gets the OMA's base address.</summary>
    public Uri OmaBaseAddress => _oma.BaseAddress;

    /// <summary>Gets the OMA's jobs, brought up to the clock.</summary>
    public IReadOnlyList<SimulatedJob> Jobs => _state.Jobs;

    /// <summary>Gets the OMA's VM contexts, brought up to the clock.</summary>
    public IReadOnlyList<SimulatedContext> Contexts => _state.Contexts;

    /// <summary>Starts both appliances.</summary>
    /// <param name="options">The options; <see langword="null"/> for defaults.</param>
    /// <param name="cancellationToken">A token to cancel starting.</param>
    /// <returns>The running simulator.</returns>
    public static async Task<ApplianceSimulator> StartAsync(SimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SimulatorOptions();
        var inventory = new SimulatedInventory(options);
        var faults = new FaultPlan(options.Seed);
        var journal = new RequestJournal();
        var state = new OmaState(options);
        var sessions = new OmaSessions(options);
        var shared = new SimulatedAppliance.Services(faults, journal, options.TimeProvider, sessions, options.OmaLocalOffset);
        var auth = new OmaAuthentication(options, sessions);
        var create = new CreateReplicationHandler(options, state, new CreateRace(options.TimeProvider));
        var vma = await SimulatedAppliance.StartAsync("VMA", shared, Timeout.InfiniteTimeSpan, (a, app) => VmaRoutes.Map(a, app, options, inventory, state), cancellationToken).ConfigureAwait(false);
        var oma = await SimulatedAppliance.StartAsync("OMA", shared, options.OmaWriteTimeout, (a, app) => OmaRoutes.Map(a, app, options, state, auth, create), cancellationToken).ConfigureAwait(false);
        return new ApplianceSimulator(options, inventory, faults, journal, state, sessions, vma, oma);
    }

    /// <summary>
    /// Simulates an OMA restart: every login session is lost (jobs and contexts stay, as they are in its database). The
    /// next login answers the same constant token, which is then valid again.
    /// </summary>
    public void RestartOma() => _sessions.Forget();

    /// <summary>
    /// Removes a job row while its VM context keeps pointing at it (an operator's cleanup, a restored database): its routes
    /// answer 404 and the context's <c>current_job_id</c> is stale.
    /// </summary>
    /// <param name="jobId">The job id.</param>
    /// <returns><see langword="true"/> when the job existed.</returns>
    public bool VanishJob(string jobId) => _state.VanishJob(jobId);

    /// <summary>Changes a VM context on the OMA (for example a failover state).</summary>
    /// <param name="vmName">The VM name.</param>
    /// <param name="change">The change.</param>
    public void ChangeContext(string vmName, Func<SimulatedContext, SimulatedContext> change) => _state.ChangeContext(vmName, change);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _vma.DisposeAsync().ConfigureAwait(false);
        await _oma.DisposeAsync().ConfigureAwait(false);
    }
}
