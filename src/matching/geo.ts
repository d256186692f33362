/**
 * Distance between two points on the Earth, for "how far is it from me".
 */

/** A WGS84 point. Structural, so ResolvedPlace, Place and outcode rows all fit. */
export interface LatLng {
    latitude: number;
    longitude: number;
}

/** Mean Earth radius in km: the error against the ellipsoid (under 0.5%) is far below a postcode district's size. */
export const EARTH_RADIUS_KM = 6371.0088;

const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;

/** cos(latitude) of a point in degrees, as haversineKmCos wants it; worth keeping for a point used many times. */
export function cosLatitude(latitude: number): number {
    return Math.cos(toRadians(latitude));
}

/**
 * Great-circle distance in km between (lat1, lon1) and (lat2, lon2) in degrees, given the cosines of both latitudes
 * (cosLatitude). The ranker keeps those per listing, which saves two of the five trigonometric calls per listing.
 */
export function haversineKmCos(
    lat1: number, lon1: number, cos1: number, lat2: number, lon2: number, cos2: number,
): number {
    const dLat = toRadians(lat2 - lat1);
    const dLon = toRadians(lon2 - lon1);
    const h = Math.sin(dLat / 2) ** 2 + cos1 * cos2 * Math.sin(dLon / 2) ** 2;
    // min() guards against rounding pushing h a hair above 1 for antipodal points, which would make asin NaN.
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Great-circle distance in km (haversine formula). */
export function haversineKm(a: LatLng, b: LatLng): number {
    return haversineKmCos(a.latitude, a.longitude, cosLatitude(a.latitude),
        b.latitude, b.longitude, cosLatitude(b.latitude));
}
