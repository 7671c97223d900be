-- One database per service (each migrates its own), the registry's, and the demo destination.
CREATE DATABASE connection;
CREATE DATABASE schema;
CREATE DATABASE sync;
CREATE DATABASE rejects;
CREATE DATABASE registry;
CREATE DATABASE warehouse;
