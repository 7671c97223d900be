package dev.syncline.testing.quarkus;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Every request a test makes with RestAssured carries an API key, as a user's script would, unless it sets its own
 * {@code Authorization} header or asks for none with {@link #ANONYMOUS}.
 */
public final class RestAssuredKey implements Filter {
    /** A request with this header goes without any key (the header itself is not sent). */
    public static final String ANONYMOUS = "X-Syncline-Test-Anonymous";
    private static volatile String key;
    private static boolean installed;

    private RestAssuredKey() { }

    public static synchronized void install(String apiKey) {
        key = apiKey;
        if (!installed) {
            RestAssured.filters(new RestAssuredKey());
            installed = true;
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext ctx) {
        if (request.getHeaders().hasHeaderWithName(ANONYMOUS)) {
            request.removeHeader(ANONYMOUS);
        } else if (!request.getHeaders().hasHeaderWithName("Authorization") && key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return ctx.next(request, response);
    }
}
