/**
 * Distance between two points on the Earth, for "how far is it from me".
 */

/** A WGS84 point. Structural, so ResolvedPlace, Place and outcode rows all fit. */
export interface LatLng {
    latitude: number;
    longitude: number;
}

/** Mean Earth radius in km: the error against the ellipsoid (under 0.5%) is far below a postcode district's size. */
const EARTH_RADIUS_KM = 6371.0088;

const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;

/** Great-circle distance in km (haversine formula). */
export function haversineKm(a: LatLng, b: LatLng): number {
    const dLat = toRadians(b.latitude - a.latitude);
    const dLon = toRadians(b.longitude - a.longitude);
    const h = Math.sin(dLat / 2) ** 2
        + Math.cos(toRadians(a.latitude)) * Math.cos(toRadians(b.latitude)) * Math.sin(dLon / 2) ** 2;
    // min() guards against rounding pushing h a hair above 1 for antipodal points, which would make asin NaN.
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
