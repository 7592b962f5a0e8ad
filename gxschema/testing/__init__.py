"""A pytest plugin for services' own tests: a migrated database, engines and rolled-back sessions.

The entry point (``pytest11``) comes with the package, so pytest loads it wherever gxschema
is installed; ``pip install 'gxschema[testing]'`` adds what the fixtures use (pytest-asyncio,
pytest-postgresql, testcontainers). Nothing to import or configure (``-p no:gxschema`` turns
it off). Tests that use none of its fixtures
never start or reach a server. A service's test uses the fixtures by name::

    from gxschema.models import Country

    def test_lists_countries(gxschema_session):
        gxschema_session.add(Country(...))
        gxschema_session.commit()        # a savepoint: rolled back after the test
        assert gxschema_session.query(Country).count() == 1

Fixtures:

``gxschema_session``
    A `Session` rolled back after the test; its ``commit()`` is a savepoint, so the code
    under test may commit as it does in the service.
``gxschema_async_session``
    The same as an `AsyncSession` over psycopg 3's async driver (needs pytest-asyncio;
    mark the test ``@pytest.mark.asyncio`` or set ``asyncio_mode = auto``).
``gxschema_connection``
    The Core `Connection` under ``gxschema_session``, inside the rolled-back transaction.
``gxschema_engine``
    A session-wide `Engine` (`gxschema.db.create_engine`) on the database the three
    above work in. What is committed through it directly stays for later tests.
``gxschema_db``
    A database of the test's own, copied from the template (``.name``, ``.url``,
    ``.env()`` for child processes) and dropped after: for real commits, DDL, or
    several connections.
``gxschema_server``
    The `Server` (host, port, superuser; ``create_database``, ``drop_database``, ``url``).
``gxschema_template``
    The name of the template database: migrated to head once per worker, seeded as asked.

Options (command line, or ini where named):

``--gxschema-url URL`` (or ``GXSCHEMA_TEST_DATABASE_URL``)
    a server to make the run's databases on; otherwise Docker (testcontainers), the local
    PostgreSQL binaries (pytest-postgresql), or the embedded PostgreSQL, in that order
    (`backends`). The header line of the run says which, and why.
``--gxschema-seed reference|devnet|none`` (ini ``gxschema_seed``)
    reference data (countries, system configuration, feature flags), or devnet's seed
    (those and the demo rows), in the template.
``--gxschema-fake-users N`` (ini ``gxschema_fake_users``)
    N users and their data from `gxschema.fake` in the template (implies the reference seed).
ini ``gxschema_database_prefix``
    how the names of the run's databases begin (``gxtest``).

With pytest-xdist each worker builds its own template and shared database; names hold the
worker's id, so workers and runs sharing a server never collide. Modules: `plugin` (options,
header, fixtures), `backends` (which server, and starting it), `throwaway` (the server run
as ``postgres`` when the tests run as root), `server` (`Server`), `databases` (template,
copies, rolled-back transactions).
"""
