"""What the OpenAPI document says besides the routes: responses, parameters, its pages."""
