/**
 * What an API key is, in one place: made by connection-service (an admin issues it) and by the launcher (the first
 * admin key, the services' own credential), hashed by every service that checks one, shown by its prefix in lists
 * and the console. Plain Java without dependencies, so the launcher and the tests use the same code as the services.
 */
package dev.syncline.apikeys;
