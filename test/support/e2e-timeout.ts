// End-to-end suites start real services and move real bytes.
jest.setTimeout(120_000);
