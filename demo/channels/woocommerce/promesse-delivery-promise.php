<?php
/**
 * Plugin Name: Promesse delivery promise
 * Description: Shows Promesse's <delivery-promise> on product pages and at checkout, and saves the shopper's
 *              choice (dp-select) on the order as meta data, which WooCommerce's order.created webhook carries to
 *              Promesse (POST https://<promesse>/v1/channels/<merchant>/<channel>/webhooks).
 * Version: 1.0.0
 * Requires Plugins: woocommerce
 *
 * Install: copy this file to wp-content/plugins/ and activate it; set the two constants below (or define them in
 * wp-config.php). Works with the classic checkout ([woocommerce_checkout]); the block checkout posts no custom
 * fields, so there the order books with the channel's shippingOptions instead.
 */

defined( 'ABSPATH' ) || exit;

defined( 'PROMESSE_API' ) || define( 'PROMESSE_API', 'https://promesse.example.com' );
defined( 'PROMESSE_KEY' ) || define( 'PROMESSE_KEY', 'pk_live_REPLACE_ME' );

/** The element's script, as an ES module, on product, cart and checkout pages. */
add_action( 'wp_enqueue_scripts', function () {
	if ( is_product() || is_cart() || is_checkout() ) {
		wp_enqueue_script_module( 'promesse-delivery-promise', PROMESSE_API . '/widget/delivery-promise.js', array(), null );
	}
} );

/** The shopper's country, as WooCommerce knows it (customer, else the store's base country). */
function promesse_country() {
	$country = WC()->customer ? WC()->customer->get_shipping_country() : '';
	return $country ? $country : WC()->countries->get_base_country();
}

/** Product page: the promise of the product (the chosen variation's sku once one is chosen). */
add_action( 'woocommerce_after_add_to_cart_form', function () {
	global $product;
	if ( ! $product || ! $product->get_sku() ) {
		return;
	}
	printf(
		'<delivery-promise api="%s" key="%s" sku="%s" country="%s" locale="%s"></delivery-promise>',
		esc_attr( PROMESSE_API ),
		esc_attr( PROMESSE_KEY ),
		esc_attr( $product->get_sku() ),
		esc_attr( promesse_country() ),
		esc_attr( str_replace( '_', '-', get_locale() ) )
	);
	?>
	<script>
		jQuery( '.variations_form' ).on( 'found_variation', function ( _event, variation ) {
			if ( variation.sku ) document.querySelector( 'delivery-promise' )?.setAttribute( 'sku', variation.sku );
		} );
	</script>
	<?php
} );

/** Checkout: the cart's promise, and two hidden fields the element's dp-select fills. */
add_action( 'woocommerce_review_order_before_payment', function () {
	$items = array();
	foreach ( WC()->cart->get_cart() as $line ) {
		$sku = $line['data']->get_sku();
		if ( $sku ) {
			$items[] = rawurlencode( $sku ) . ':' . (int) $line['quantity'];
		}
	}
	printf(
		'<delivery-promise api="%s" key="%s" mode="cart" items="%s" country="%s" postal-code="%s" locale="%s"></delivery-promise>',
		esc_attr( PROMESSE_API ),
		esc_attr( PROMESSE_KEY ),
		esc_attr( implode( ',', $items ) ),
		esc_attr( promesse_country() ),
		esc_attr( WC()->customer ? WC()->customer->get_shipping_postcode() : '' ),
		esc_attr( str_replace( '_', '-', get_locale() ) )
	);
	?>
	<input type="hidden" name="promesse_promise_id" id="promesse_promise_id" value="">
	<input type="hidden" name="promesse_option_id" id="promesse_option_id" value="">
	<script>
		document.querySelector( 'delivery-promise[mode="cart"]' )?.addEventListener( 'dp-select', function ( event ) {
			document.getElementById( 'promesse_promise_id' ).value = event.detail.promiseId;
			document.getElementById( 'promesse_option_id' ).value = event.detail.optionId;
		} );
	</script>
	<?php
} );

/** The choice, on the order: meta_data promesse_promise_id and promesse_option_id, in every order webhook. */
add_action( 'woocommerce_checkout_create_order', function ( $order ) {
	foreach ( array( 'promesse_promise_id', 'promesse_option_id' ) as $field ) {
		// The checkout form's own nonce was checked by WooCommerce before this hook runs.
		// phpcs:ignore WordPress.Security.NonceVerification.Missing
		$value = isset( $_POST[ $field ] ) ? sanitize_text_field( wp_unslash( $_POST[ $field ] ) ) : '';
		if ( '' !== $value && strlen( $value ) <= 8192 ) {
			$order->update_meta_data( $field, $value );
		}
	}
} );
